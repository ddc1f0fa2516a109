"""Shared test set-up: Qt offscreen, GUI tests marked, the repo's shared spec located, and
the temporary folders on a RAM disk where there is one (``/dev/shm``): every service call
is an fsync'd transaction, and the suite makes tens of thousands of them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Where PYTHONDONTWRITEBYTECODE is set (container images often set it, and then pip leaves the
# installed libraries without bytecode too), every process of a run would compile from source all it
# imports — SQLAlchemy, pyHanko, reportlab, Hypothesis, the program — and rewrite the suite's ~3,900
# asserts: seconds in each xdist worker before its first test, and again in each of the child
# processes the suite starts (the command line, crash and start-up tests), whose interpreters kept
# none of it. Bytecode is kept instead under .pytest_cache (ignored by git; the source tree stays
# free of __pycache__ folders), and the setting is passed on through the environment: the workers,
# started after this file is read, and every child process read and write the same cache from their
# first import on. A stale file is recompiled as usual (the source's hash and mtime are checked), and
# a file is written whole or not at all, so processes sharing the cache never see half of one.
if sys.dont_write_bytecode and sys.pycache_prefix is None:
    sys.pycache_prefix = str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "pycache")
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import gc
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy import Engine
from sqlalchemy.util import LRUCache

from app.sealing import keys
from app.services import terminals
from app.services.voting import VotingService
from app.storage import db
from tests import durations, rsa_pool
from tests.demo_templates import Templates
from tests.refusals import english_only_refusals
from tests.sessions import CHEAP

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]


class _CompiledOnce(LRUCache):  # type: ignore[type-arg]
    """SQLAlchemy's compiled-statement cache shared by every engine a test process opens.

    Each engine keeps its own cache, keyed by its own dialect object, and the suite opens
    thousands of meeting files (one engine each): every statement would be compiled again in
    each. All of them are the same SQLite dialect with the same settings, so the key here is the
    dialect's class instead of the instance, and a statement is compiled once per process.
    """

    @staticmethod
    def _key(key: tuple[Any, ...]) -> tuple[Any, ...]:
        return (type(key[0]), *key[1:])

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        return super().get(self._key(key), default)

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        super().__setitem__(self._key(key), value)


_COMPILED = _CompiledOnce(2000)


def _engine_sharing_compiled_statements(*args: Any, **kwargs: Any) -> Engine:
    engine = sqlalchemy.create_engine(*args, **kwargs)
    engine.update_execution_options(compiled_cache=_COMPILED)
    return engine


#: scrypt's cost for the committee keys tests make (the production cost is half a second a
#: guess, and tests open keys hundreds of times); every key file records its own cost.
#: scrypt's cost for the experts' one-time codes in the program (the tests hash them at :data:`CHEAP`).
TERMINAL_CODE_COST: int = terminals._SCRYPT["n"]
CHEAP_STRETCH = keys.Stretch(n=2**4, rounds=1_000)


def pytest_configure(config: pytest.Config) -> None:
    """Every engine shares :data:`_COMPILED` (see :class:`_CompiledOnce`); committee keys are
    stretched cheaply (:data:`CHEAP_STRETCH`), their RSA keys taken from a pool made ahead of time
    (:mod:`tests.rsa_pool`). Unless ``--basetemp``
    was given, put the run's temporary folders on ``/dev/shm``, in a
    folder of this run's own (other runs may be going on), removed when the run ends. xdist
    workers get theirs below the controller's."""
    db.create_engine = _engine_sharing_compiled_statements  # type: ignore[assignment]
    # Round passphrases set by tests cost microseconds, not scrypt's 0.1 s (as staff codes, tests.sessions.CHEAP).
    VotingService.seal_cost = CHEAP
    keys.STRETCH = CHEAP_STRETCH
    terminals._SCRYPT["n"] = CHEAP      # experts' one-time codes too (test_terminals checks the real cost)
    config.pluginmanager.register(durations.Recorder(), "conclave-durations")
    rsa_pool.install()          # committee keys' RSA-3072 keys made ahead of time (tests/rsa_pool.py)
    shm = Path("/dev/shm")
    if config.option.basetemp or hasattr(config, "workerinput") or not (shm.is_dir() and os.access(shm, os.W_OK)):
        return
    run = Path(tempfile.mkdtemp(prefix="conclave-tests-", dir=shm))
    config.option.basetemp = str(run / "t")
    config.stash[_RUN_FOLDER] = run


#: The cyclic garbage collector's thresholds in a test process (Python's are 700, 10, 10): see
#: :func:`pytest_collection_finish`.
GC_THRESHOLDS = (100_000, 50, 100)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything imported by now (the program, its libraries, the test modules) lives until the
    process ends: :func:`gc.freeze` takes it out of the collector's sight, and the collector runs
    less often (:data:`GC_THRESHOLDS`). The suite builds and drops millions of small objects
    (reportlab's flowables, SQLAlchemy's rows) and the collector, scanning the frozen modules again
    and again, took about 8 % of a run's CPU. Objects are freed as before by their reference
    counts; only cycles wait a little longer."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(_RUN_FOLDER, None)
    if run is not None:
        shutil.rmtree(run, ignore_errors=True)


_RUN_FOLDER = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """The demo meeting at every stage, built on first use, once per test process."""
    return Templates(tmp_path_factory)


@pytest.fixture(autouse=True)
def _every_refusal_has_its_chinese() -> Iterator[None]:
    """Whatever a test drives, every refusal the engine makes on the way carries its Chinese:
    a test during which app/ made an English-only violation (outside the record and draw
    files' wire texts, tests/refusals.py) fails, naming where it was made."""
    with english_only_refusals() as found:
        yield
    if found:
        pytest.fail("refusals without Chinese (give them bi(english, chinese)):\n" + "\n".join(sorted(set(found))))


#: The interface's tests: every test in it is ``gui``, whether or not it uses Qt itself.
UI_TESTS = ROOT / "tests" / "ui"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that use a QApplication (qtbot, qapp), and every test in :data:`UI_TESTS`, are marked
    ``gui``: ``-m "not gui"`` is the core run. The modules that took longest last time come first
    (:mod:`tests.durations`)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or item.path.is_relative_to(UI_TESTS):
            item.add_marker(pytest.mark.gui)
    durations.longest_first(config, items)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The core run (``-m "not gui"``) does not import :data:`UI_TESTS` at all (all of it would be
    deselected; importing and rewriting it costs each worker seconds)."""
    if collection_path == UI_TESTS and config.option.markexpr.replace(" ", "") == "notgui":
        return True
    return None
