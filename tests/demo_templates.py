"""The demo meeting built once per test run and kept at every stage (:class:`Templates`);
the session fixture ``demo_templates`` (tests/conftest.py) hands it to every test folder.

Under pytest-xdist every worker is its own process with its own session fixtures, and each
would run the demo again (with its papers, a sizeable share of the suite's time). The
snapshots are files, so the first worker that needs them builds them in the run's shared
temporary folder under a file lock (:func:`built_once`), and the others copy from there.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from app.demo import build_demo, print_results
from app.domain import Step
from app.services import Conclave
from tests.sessions import CHEAP

PRINTED = "demo-printed.txt"
"""Beside the snapshots: what the demo printed while they were made (:meth:`Templates.printed`)."""


class Templates:
    """The demo meeting at every stage (0 = set up, 1–10 = after that step), from one run of
    the demo per test run (:func:`built_once`): a ``VACUUM INTO`` snapshot is kept as each step finishes,
    with the committee key beside the snapshots that have one."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[int, Path] = {}

    def copy(self, until: Step | int, target: Path) -> Path:
        """A private copy of the template at ``target``, with its committee key beside it."""
        source = self[until]
        target.write_bytes(source.read_bytes())
        heads = source.with_name(source.name + ".heads")      # the audit trail's heads travel with it
        if heads.exists():
            target.with_name(target.name + ".heads").write_bytes(heads.read_bytes())
        key = source.with_name(source.stem + ".committee-key.p12")
        if key.exists():
            target.with_name(target.stem + ".committee-key.p12").write_bytes(key.read_bytes())
        return target

    def printed(self) -> str:
        """What ``conclave demo`` would have printed for this run (``build_demo``'s lines, then its
        results, as :func:`app.demo.run` prints them), for tests that read the demo's output."""
        return self[0].with_name(PRINTED).read_text(encoding="utf-8")

    def __getitem__(self, until: Step | int) -> Path:
        if not self.built:
            self.built = {int(k): Path(v) for k, v in built_once(self.factory, "demo", self._build).items()}
        return self.built[int(until)]

    def _build(self, folder: Path) -> dict[str, str]:
        from app.services import terminals

        app = Conclave(folder / "demo.sqlite3")
        app.staff.cost = CHEAP       # the staff codes the demo sets: a test's staff sign-in costs microseconds
        # the demo issues and spends a one-time code per voter (26 scrypt hashes at 2**14, seconds of the
        # build every worker waits for); none is left usable in a snapshot, so none is hashed dearly
        saved = terminals._SCRYPT["n"]
        terminals._SCRYPT["n"] = CHEAP
        key = folder / "demo.committee-key.p12"          # the committee key travels with its database

        def keep(stage: int) -> None:
            snapshot = app.snapshot(folder / f"template-{stage}.sqlite3")
            if key.exists():
                shutil.copyfile(key, snapshot.with_name(snapshot.stem + ".committee-key.p12"))
            built[str(stage)] = str(snapshot)

        built: dict[str, str] = {}
        lines: list[str] = []
        try:
            mid = build_demo(app, out=lines.append, archive_dir=folder / "archive", after_step=keep)
            print_results(app, mid, out=lines.append)
        finally:
            terminals._SCRYPT["n"] = saved
            app.close()
        (folder / PRINTED).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return built


def built_once(factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], dict[str, str]]) -> dict[str, str]:
    """What ``build(folder)`` made, built once for the whole run: in the folder ``name`` below the
    temporary folder every xdist worker shares (the run's own when there are no workers), under a
    file lock; ``build`` returns a JSON-able map of what it made (e.g. stage → snapshot path),
    kept beside it for the workers that come later. A build that failed leaves no map, so the
    next worker tries again and reports its own error."""
    base = factory.getbasetemp()
    shared = base.parent if base.name.startswith("popen-gw") else base
    folder, done = shared / name, shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if done.exists():
            return dict(json.loads(done.read_text(encoding="utf-8")))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        made = build(folder)
        done.write_text(json.dumps(made), encoding="utf-8")
        return made


def without_key(app: Conclave) -> Conclave:
    """The meeting as it was before its committee key was made (the demo makes it at setup): the key
    file beside the database and the root recorded for the committee are gone — the state of a
    meeting whose office has not yet created its key, which the key tests start from."""
    from sqlalchemy import update

    from app.sealing.keys import root_pem_path_for
    from app.services.documents import key_path_for
    from app.storage.schema import committee

    key = key_path_for(app.store.path)
    key.unlink(missing_ok=True)
    root_pem_path_for(key).unlink(missing_ok=True)
    with app.store.engine.begin() as conn:
        conn.execute(update(committee).values(root_pem=None))
    return app
