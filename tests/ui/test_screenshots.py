"""`conclave screenshots` writes real pictures of pages and dialogs (a subset here, for time)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from ui.screenshots import take


def test_screenshots_of_a_page_a_dialog_and_the_lan_screens(qapp, tmp_path: Path) -> None:
    # the terminal's confirmation and the serving panel (a real host on loopback, stopped after its picture)
    shots = {"page-07-ballot", "dialog-reopen", "terminal-confirmation", "dialog-serving", "window-live-board"}
    saved = take(tmp_path / "en", "en", only=shots)
    assert sorted(p.name for p in saved) == sorted(f"{name}.png" for name in shots)
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 300
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)}
        assert len(colours) > 5, f"{path.name} looks blank"
    page = QImage(str(tmp_path / "en" / "page-07-ballot.png"))
    assert (page.width(), page.height()) == (1280, 820)
