"""How many examples a Hypothesis test tries: every one of them in CI, a third on a developer's machine.

Each property test names its count as CI runs it — ``@settings(max_examples=examples(300))`` — and
CI runs exactly that (``.ci/run`` sets ``CONCLAVE_EXAMPLES=all``; so does any ``CI`` variable). The
everyday run (``pytest`` or ``pytest -m "not gui"`` on a laptop) tries a third of them, at least 20:
the same property over fewer random cases each run, and Hypothesis replays every failing case it
has found before (its example database, ``.hypothesis/``) — the fast loop stays fast, and the
thorough run is CI's. ``CONCLAVE_EXAMPLES=all pytest`` runs them all here too.
"""

from __future__ import annotations

import os

#: Whether this run tries every example (CI) or a third of them (a developer's everyday run).
ALL = os.environ.get("CONCLAVE_EXAMPLES", "").lower() == "all" or bool(os.environ.get("CI"))


def examples(in_ci: int) -> int:
    """``in_ci`` in CI, else a third of it (at least 20, never more than ``in_ci``)."""
    return in_ci if ALL else min(in_ci, max(20, in_ci // 3))
