"""GUI test fixtures: the demo meeting in a real window, offscreen; no window may be left behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.domain import Step
from app.services import Conclave
from tests.demo_templates import Templates
from tests.sessions import ROUND_PASSPHRASE
from ui import ops
from ui.i18n import bridge


@pytest.fixture(autouse=True)
def _fonts_language_and_leftovers(qapp: QApplication) -> Iterator[None]:
    """Bundled fonts registered, Chinese first; after the test, no top-level window stays open
    and no operation is still running (napari's leak check)."""
    from ui.fonts import apply_application_font

    apply_application_font(qapp)
    bridge.set_language("zh")
    yield
    bridge.set_language("zh")
    qapp.processEvents()
    assert not ops.busy(), "a test left an operation running"
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in left:
        w.close()
    assert not left, f"a test left windows open: {[type(w).__name__ for w in left]}"


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's config and data folders (recent meetings, the default and the demo database) are
    a test's own: a test never reads or writes the person's real ones."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))


OpenMeeting = Callable[[Step], tuple[Conclave, int]]


@pytest.fixture
def meeting_at(demo_templates: Templates, tmp_path: Path) -> Iterator[OpenMeeting]:
    """``meeting_at(Step.PLENARY)`` → (services, meeting id) on a private copy of the demo meeting."""
    opened: list[Conclave] = []

    def make(until: Step) -> tuple[Conclave, int]:
        target = demo_templates.copy(until, tmp_path / f"gui-{int(until)}-{len(opened)}.sqlite3")
        app = Conclave(target)
        opened.append(app)
        return app, 1

    yield make
    for app in opened:
        app.close()


def wait_ops(qtbot: object) -> None:
    """Wait until every operation started by the interface has reported back."""
    qtbot.waitUntil(lambda: not ops.busy(), timeout=20000)  # type: ignore[attr-defined]


def round_passphrase(page: Any) -> None:
    """Type the round passphrase in the dialog of the ballot page (twice when it is set) or of the paper
    entry dialog (a batch's second copy), and confirm."""
    dialog = page.passphrase_dialog
    dialog.passphrase.setText(ROUND_PASSPHRASE)
    dialog.repeat.setText(ROUND_PASSPHRASE)
    assert dialog.ok_button.isEnabled(), dialog.problem.text()
    dialog.ok_button.click()
