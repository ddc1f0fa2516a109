"""The two December demos of the calendar tests, each run once per test run as the user runs it.

``conclave demo --vote-date 2026-12-10`` without 2027 stops after step 8 (signing) and leaves
its meeting stored there; with ``--calendar 2027.json`` it runs through step 10. Both runs are
the real command, driven in-process through :func:`app.cli.main` (:func:`conclave`): what it
prints, its exit status and the files it leaves are what a subprocess would give, at the test
process's scrypt costs (tests/conftest.py; the one-time terminal codes too, :func:`cheap_codes`)
and without an interpreter's start-up each time — the tests of the process itself (one line on
stderr, exit status 2, no traceback, from a fresh interpreter) keep one true subprocess run
(tests/calendar/test_calendar_cli.py). The runs are recorded
(:class:`December`) and their meetings kept as templates, so that the command-line tests assert
on the runs and the dated-paper tests start from their meetings instead of building the moved demo
again: the stopped run's meeting is the demo moved to 10 December at step 8, and the complete run
is kept as it finished step 9 as well (:func:`kept_after`).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import app.demo
from app.cli import main
from app.domain import Step
from app.services import Conclave
from app.services import terminals as terminals_module
from app.services.documents import key_path_for
from tests.calendar.year2027 import write_2027
from tests.demo_templates import built_once
from tests.sessions import CHEAP

VOTE = "2026-12-10"


def conclave(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``conclave ARGS`` run in this process through :func:`app.cli.main`: its exit status and what it
    printed on stdout and stderr, as :func:`subprocess.run` gives them (an argparse refusal's
    ``SystemExit`` is its exit status, as in a process)."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def cheap_codes() -> Iterator[None]:
    """The experts' one-time terminal codes hashed with a cheap scrypt (as tests.sessions.CHEAP does
    for staff codes): a demo unlocks 13 terminals, two deliberate scrypts each at the real cost, and
    the codes are not what these tests are about."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(terminals_module._SCRYPT, "n", CHEAP)
        yield


@contextlib.contextmanager
def kept_after(step: Step, target: Path) -> Iterator[None]:
    """While inside, a demo the command builds (``app.demo.run`` calls ``build_demo``) also keeps a
    ``VACUUM INTO`` copy of its meeting at ``target`` as it finishes ``step`` (``build_demo``'s own
    ``after_step``), with the committee key beside it: the run itself goes on unchanged."""
    build = app.demo.build_demo

    def keeping(services: Conclave, *args: Any, **kwargs: Any) -> int:
        assert "after_step" not in kwargs

        def keep(n: int) -> None:
            if n == step:
                services.snapshot(target)
                shutil.copyfile(key_path_for(services.store.path), key_path_for(target))
        return build(services, *args, **{**kwargs, "after_step": keep})

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(app.demo, "build_demo", keeping)
        yield


def copy_meeting(source: Path, target: Path) -> Path:
    """A private copy of a closed meeting database at ``target``, with its heads file and its
    committee key (and the key's public root) beside it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    key, into = key_path_for(source), key_path_for(target)
    for src, dst in ((source, target), (Path(f"{source}.heads"), Path(f"{target}.heads")), (key, into),
                     (key.with_name(key.name + ".root.pem"), into.with_name(into.name + ".root.pem"))):
        if src.exists():
            shutil.copyfile(src, dst)
    return target


class December:
    """The two runs of ``conclave demo --vote-date 2026-12-10``, made once per test run
    (:func:`~tests.demo_templates.built_once`: the first xdist worker that needs them runs them):

    * ``stopped``: without 2027 (``--quiet``) — refused after step 8, the meeting stored up to there;
    * ``finished``: with ``--calendar 2027.json`` — all ten steps, its archive beside it; its meeting as
      it finished step 9 is kept too (``finished-9``).

    :meth:`run` is what a run printed and its exit status, :meth:`db` where its meeting was stored
    (the path its messages name; copy it with :meth:`copy` before writing to it)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self._made: dict[str, str] = {}

    @property
    def made(self) -> dict[str, str]:
        if not self._made:
            self._made = built_once(self.factory, "december-demos", _run_both)
        return self._made

    def run(self, name: str) -> subprocess.CompletedProcess[str]:
        done = json.loads(self.made[f"{name}.run"])
        return subprocess.CompletedProcess(done["args"], done["returncode"], done["stdout"], done["stderr"])

    def db(self, name: str) -> Path:
        return Path(self.made[name])

    @property
    def calendar(self) -> Path:
        """The 2027 file the complete run was given."""
        return Path(self.made["calendar"])

    def copy(self, name: str, target: Path) -> Path:
        return copy_meeting(self.db(name), target)


def _run_both(folder: Path) -> dict[str, str]:
    calendar = write_2027(folder / "2027.json")
    made = {"calendar": str(calendar)}
    stopped, finished = folder / "stopped" / "x.sqlite3", folder / "finished" / "x.sqlite3"
    at_9 = folder / "finished-9" / "x.sqlite3"
    stopped.parent.mkdir()
    finished.parent.mkdir()
    runs: dict[str, Callable[[], subprocess.CompletedProcess[str]]] = {
        "stopped": lambda: conclave("demo", "--vote-date", VOTE, "--db", stopped, "--quiet"),
        "finished": lambda: conclave("demo", "--vote-date", VOTE, "--db", finished, "--calendar", calendar),
    }
    with cheap_codes(), kept_after(Step.ARCHIVE, at_9):
        for name, run in runs.items():
            done = run()
            made[f"{name}.run"] = json.dumps({"args": done.args, "returncode": done.returncode,
                                              "stdout": done.stdout, "stderr": done.stderr})
    made.update({"stopped": str(stopped), "finished": str(finished), "finished-9": str(at_9)})
    return made
