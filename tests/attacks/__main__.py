"""``python -m tests.attacks [NAME …]``: run the attacks (all, or those whose name contains one
of the NAMEs) and print one line each and the total; exit 1 if any broke. See the package's
docstring."""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
import traceback
from pathlib import Path

from tests.attacks import ATTACKS, REBUILDING, ROOT, Lab, Outcome

#: The attack modules, which register their attacks when imported: run and printed in this order.
MODULES = ("attack_sessions", "attack_conflicts", "attack_keys", "attack_files", "attack_locks",
           "attack_tamper", "attack_secrecy")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.attacks", description=__doc__)
    parser.add_argument("names", nargs="*", help="run only the attacks whose name contains one of these")
    parser.add_argument("-v", "--verbose", action="store_true", help="say how each broken try broke")
    ns = parser.parse_args(argv)
    for module in MODULES:
        importlib.import_module(f"tests.attacks.{module}")
    chosen = {name: run for name, run in ATTACKS.items() if not ns.names or any(n in name for n in ns.names)}
    total = Outcome()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="conclave-attacks-") as folder:
        lab = Lab(Path(folder))
        for name, run in chosen.items():
            t0 = time.monotonic()
            try:
                outcome = run(lab)
            except Exception as exc:      # the attack itself fell over: one broken try, and why
                outcome = Outcome()
                outcome.check(False, f"the attack raised {type(exc).__name__}: {exc}")
                traceback.print_exc(file=sys.stderr)
            total.held += outcome.held
            total.broke += outcome.broke
            figures = "; ".join([*outcome.figures, f"{time.monotonic() - t0:.1f} s"])
            print(f"{name}: tries {outcome.tries}, held {outcome.held}, broke {outcome.broke}  ({figures})",
                  flush=True)
            for note in outcome.notes if (ns.verbose or outcome.broke) else ():
                print(f"    broke: {note}", flush=True)
    if not ns.names:
        for name, who in REBUILDING.items():
            print(f"{name}: not run — being rebuilt by {who}; register it in tests/attacks (see __init__)")
    print(f"total: tries {total.tries}, held {total.held}, broke {total.broke}  "
          f"({len(chosen)} attacks, {time.monotonic() - started:.0f} s, {ROOT.name})")
    return 1 if total.broke else 0


if __name__ == "__main__":
    sys.exit(main())
