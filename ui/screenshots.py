"""``conclave screenshots --out DIR [--lang zh|en]``: every page, dialog and terminal screen of the demo.

Each wizard page is shown in action: the demo meeting stopped just before that
step (page 0, the setup, on a meeting only set up), in a 1280×820 window. Then a
finished step as the chair sees it (locked), every dialog and window the program
opens, and the expert terminal's and the LAN's screens (:mod:`ui.terminal_screenshots`).
Runs offscreen on a 1366×768 screen; writes PNG files named after what they show.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGE_NAMES = ["setup", "preparatory", "eligibility", "primary-review", "interview", "group",
              "plenary", "ballot", "signing", "archive", "publicity"]


class Stages:
    """The demo meeting stopped after step ``n`` (0: only set up), each built once, copied per use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[int, Path] = {}
        self.copies = 0

    def open(self, until: int) -> tuple[Any, int]:
        from app.demo import build_demo
        from app.services import Conclave

        if until not in self.built:
            work = self.folder / f"stage-{until}"
            work.mkdir()
            with Conclave(work / "demo.sqlite3") as app:
                build_demo(app, out=lambda _s: None, archive_dir=work / "archive", until=until)
                app.snapshot(work / "template.sqlite3")
            self.built[until] = work / "template.sqlite3"
        self.copies += 1
        target = self.folder / f"copy-{self.copies}.sqlite3"
        target.write_bytes(self.built[until].read_bytes())
        key = self.built[until].with_name("demo.committee-key.p12")
        if key.exists():
            target.with_name(target.stem + ".committee-key.p12").write_bytes(key.read_bytes())
        return Conclave(target), 1


def dialogs() -> list[tuple[str, int, Callable[[Any, int, Any], Any]]]:
    """(file name, demo stage, factory(app, meeting_id, main window) -> widget) for every dialog."""
    from app.domain import Step

    def reopen(app: Any, mid: int, window: Any) -> Any:
        from ui.dialogs import ReopenDialog

        dialog = ReopenDialog(app, mid, Step.GROUP, window)
        dialog.reason.setPlainText("第二组一名申报人的推荐意见记录有误，需更正")
        return dialog

    def announcement(app: Any, mid: int, window: Any) -> Any:
        from ui.announce import AnnouncementView

        view = AnnouncementView(app, mid)
        view.resize(1280, 720)
        return view

    def kiosk(app: Any, mid: int, window: Any) -> Any:
        from ui.kiosk import KioskWindow

        return KioskWindow(app, mid)

    def issue_code(app: Any, mid: int, window: Any) -> Any:
        from ui.terminal_codes import IssueCodeDialog

        return IssueCodeDialog(app, mid, window)

    def documents(app: Any, mid: int, window: Any) -> Any:
        from ui.documents import DocumentsDialog

        return DocumentsDialog(app, mid, window)

    def kiosk_ballot(app: Any, mid: int, window: Any) -> Any:
        """The kiosk with an expert unlocked in front of the open ballot."""
        from app.demo import DEMO_ROUND_PASSPHRASE
        from ui.kiosk import KioskWindow

        voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
        app.voting.open_first_round("M01", mid, voters, passphrase=DEMO_ROUND_PASSPHRASE)
        view = KioskWindow(app, mid)
        from app.demo import DEMO_STAFF_CODES

        clerk = app.staff.sign_in(mid, "secretary", DEMO_STAFF_CODES["secretary"]).token   # codes need staff
        view.unlock(voters[0], app.terminals.issue_code(clerk, mid, voters[0]))
        app.staff.sign_out(clerk)
        _settle()
        view.open_ballot()
        return view

    def paper_entry(app: Any, mid: int, window: Any) -> Any:
        from app.demo import DEMO_ROUND_PASSPHRASE
        from ui.paper_entry import PaperEntryDialog

        voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
        app.voting.open_first_round("M01", mid, voters, passphrase=DEMO_ROUND_PASSPHRASE)
        return PaperEntryDialog(app, mid, app.views.rounds(mid)[0], "B1", 3, post="secretary", parent=window)

    def score(app: Any, mid: int, window: Any) -> Any:
        from ui.pages.review_dialogs import ScoreDialog

        experts = [(m.code, m.name) for m in app.views.members(mid) if m.group == "G1"]
        rubric = [("学历资历", 20), ("工作业绩", 40), ("科研成果", 25), ("继续教育", 15)]
        return ScoreDialog("C004 王䶮", rubric, experts, experts[1][0], {}, window)

    def question(app: Any, mid: int, window: Any) -> Any:
        from ui.pages.review_dialogs import QuestionDialog

        experts = [(m.code, m.name) for m in app.views.members(mid) if m.group == "G1"]
        return QuestionDialog("C004 王䶮", experts, experts[1][0], window)

    def conflict(app: Any, mid: int, window: Any) -> Any:
        from ui.pages.review_dialogs import ConflictDialog

        experts = [(m.code, m.name) for m in app.views.members(mid) if m.group == "G1"]
        return ConflictDialog("C004 王䶮", experts, window)

    def start(app: Any, mid: int, window: Any) -> Any:
        from ui.start import StartDialog

        return StartDialog(app, window)

    def calendar(app: Any, mid: int, window: Any) -> Any:
        from ui.calendar_dialog import CalendarDialog

        return CalendarDialog(app, 2026, window)      # the bundled year, as the notice listed it

    def round_passphrase_set(app: Any, mid: int, window: Any) -> Any:
        from ui.round_passphrase import RoundPassphraseDialog

        dialog = RoundPassphraseDialog(app, mid, 1, True, window)
        dialog.passphrase.setText("kettle orbit lantern 7")
        return dialog

    def round_passphrase_close(app: Any, mid: int, window: Any) -> Any:
        from ui.round_passphrase import RoundPassphraseDialog

        return RoundPassphraseDialog(app, mid, 1, False, window)

    def void_round(app: Any, mid: int, window: Any) -> Any:
        """The round is open, its passphrase lost: the chair voids it, the supervisor confirms."""
        from app.demo import DEMO_ROUND_PASSPHRASE
        from ui.dialogs import VoidRoundDialog
        from ui.terminal_screenshots import _code

        voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
        rid = app.voting.open_first_round("M01", mid, voters, passphrase=DEMO_ROUND_PASSPHRASE)
        for voter in voters[:5]:                       # five have voted when the passphrase turns out lost
            app.voting.cast(app.terminals.unlock(mid, voter, _code(app, mid, voter)).token, rid, {})
        dialog = VoidRoundDialog(app, mid, 1, app.views.rounds(mid)[0].ballots, window)
        dialog.reason.setPlainText("纪检监察人员遗失本轮表决口令，票箱无法开启")
        return dialog

    found: list[tuple[str, int, Callable[[Any, int, Any], Any]]] = [
        ("dialog-void-round", 6, void_round),
        ("dialog-round-passphrase-set", 6, round_passphrase_set),
        ("dialog-round-passphrase-close", 6, round_passphrase_close),
        ("dialog-reopen", 6, reopen), ("window-results-screen", 10, announcement),
        ("window-kiosk-lock", 6, kiosk), ("window-kiosk-ballot", 6, kiosk_ballot),
        ("dialog-issue-code", 6, issue_code), ("dialog-paper-entry", 6, paper_entry),
        ("dialog-score-sheet", 2, score), ("dialog-interview-question", 2, question),
        ("dialog-declare-conflict", 2, conflict), ("dialog-start-new-meeting", 0, start),
        ("dialog-documents", 10, documents), ("dialog-working-day-calendar", 10, calendar),
    ]
    for module_name in ("ui.pages", "ui.paper_entry", "ui.start", "ui.pages.setup_screenshots",
                        "ui.terminal_screenshots"):
        try:
            module = __import__(module_name, fromlist=["SCREENSHOT_DIALOGS"])
        except ImportError:
            continue
        found += list(getattr(module, "SCREENSHOT_DIALOGS", []))
    return found


def _settle() -> None:
    """Let queued operations (run off the UI thread) report back."""
    import time

    from PySide6.QtWidgets import QApplication

    from ui import ops

    for _ in range(200):
        QApplication.processEvents()
        if not ops.busy():
            break
        time.sleep(0.05)
    QApplication.processEvents()


#: The screen the pictures are taken on: a committee laptop's. Qt's offscreen platform otherwise has one
#: of 800×800, and every dialog that fits itself to the screen (the new-meeting dialog, the documents…)
#: was pictured squeezed into it, scrolling sideways as it never does on a laptop.
LAPTOP_SCREEN = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}


def _offscreen_laptop(folder: Path) -> None:
    """Run offscreen on a 1366×768 screen, unless a platform was chosen or a QApplication runs."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None or os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = folder / "laptop-screen.json"
    config.write_text(json.dumps(LAPTOP_SCREEN), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def take(out: Path, language: str, only: set[str] | None = None) -> list[Path]:
    screen_folder = Path(tempfile.mkdtemp(prefix="conclave-screen-"))
    _offscreen_laptop(screen_folder)
    from PySide6.QtWidgets import QApplication

    from ui.fonts import apply_application_font
    from ui.i18n import bridge
    from ui.main_window import MainWindow

    qt = QApplication.instance() or QApplication([])
    shutil.rmtree(screen_folder, ignore_errors=True)          # read when the platform started: not needed now
    apply_application_font(qt)  # type: ignore[arg-type]
    bridge.set_language(language)
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def save(widget: Any, name: str) -> None:
        _settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    with tempfile.TemporaryDirectory() as folder:
        stages = Stages(Path(folder))
        for page, name in enumerate(PAGE_NAMES):
            label = f"page-{page:02d}-{name}"
            if only and label not in only:
                continue
            app, mid = stages.open(max(page - 1, 0))
            window = MainWindow(app, mid)
            window.resize(1280, 820)
            window.show()
            if page == 0:
                window.wizard.restart()
            save(window, label)
            window.close()
            app.close()
        if not only or "page-07-ballot-finished" in only:
            app, mid = stages.open(10)
            window = MainWindow(app, mid)
            window.resize(1280, 820)
            window.show()
            window.wizard.go_to_current()
            while window.wizard.currentId() > 7:
                window.wizard.back()
            save(window, "page-07-ballot-finished")
            window.close()
            app.close()
        for name, stage, factory in dialogs():
            if only and name not in only:
                continue
            app, mid = stages.open(stage)
            window = MainWindow(app, mid)
            window.resize(1280, 820)
            widget = factory(app, mid, window)
            widget.show()
            save(widget, name)
            widget.close()
            getattr(widget, "shutdown", lambda: None)()      # the serving panel's host stops
            window.close()
            app.close()
    return saved


def run(ns: argparse.Namespace) -> int:
    saved = take(Path(ns.out), ns.lang)
    for path in saved:
        print(path)
    print(f"{len(saved)} screenshots in {Path(ns.out)}")
    return 0
