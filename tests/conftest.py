"""Shared test set-up: Qt offscreen, GUI tests marked, the repo's shared spec located, and
the temporary folders on a RAM disk where there is one (``/dev/shm``): every service call
is an fsync'd transaction, and the suite makes tens of thousands of them."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.refusals import english_only_refusals

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Unless ``--basetemp`` was given, put the run's temporary folders on ``/dev/shm``, in a
    folder of this run's own (other runs may be going on), removed when the run ends. xdist
    workers get theirs below the controller's."""
    shm = Path("/dev/shm")
    if config.option.basetemp or hasattr(config, "workerinput") or not (shm.is_dir() and os.access(shm, os.W_OK)):
        return
    run = Path(tempfile.mkdtemp(prefix="conclave-tests-", dir=shm))
    config.option.basetemp = str(run / "t")
    config.stash[_RUN_FOLDER] = run


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(_RUN_FOLDER, None)
    if run is not None:
        shutil.rmtree(run, ignore_errors=True)


_RUN_FOLDER = pytest.StashKey[Path]()


@pytest.fixture(autouse=True)
def _every_refusal_has_its_chinese() -> Iterator[None]:
    """Whatever a test drives, every refusal the engine makes on the way carries its Chinese:
    a test during which app/ made an English-only violation (outside the record and draw
    files' wire texts, tests/refusals.py) fails, naming where it was made."""
    with english_only_refusals() as found:
        yield
    if found:
        pytest.fail("refusals without Chinese (give them bi(english, chinese)):\n" + "\n".join(sorted(set(found))))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that use a QApplication (qtbot, qapp) are marked ``gui``: ``-m "not gui"`` is the core run."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)
