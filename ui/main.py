"""``conclave gui``: the program the secretary and the chair use all day.

``conclave gui --demo`` builds the demo meeting (steps 1–6 finished, the ballot
next; ``--demo-until N`` stops elsewhere) in the user data folder and opens it.
``conclave gui --db FILE`` opens a meeting database; with neither, the default
database is opened, and the start dialog offers to create a meeting or open one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from app.calendar_command import run_calendar
from app.rules.calendar import WorkCalendar
from app.services import Conclave, default_db_path


def prepare_demo(path: Path, until: int, calendar: WorkCalendar | None = None) -> None:
    from app.demo import build_demo, remove_demo

    remove_demo(path)
    with Conclave(path, calendar) as app:
        build_demo(app, out=lambda _s: None, until=until)


def run(ns: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from ui.fonts import apply_application_font
    from ui.i18n import bridge

    started = time.perf_counter()
    calendar = run_calendar(ns)       # --calendar FILE: its years for this run (bad file: refused, no window)
    if ns.demo:
        path = Path(ns.db) if ns.db else default_db_path().with_name("demo.sqlite3")
        print(f"building the demo meeting in {path} …")
        prepare_demo(path, ns.demo_until, calendar)
    else:
        path = Path(ns.db) if ns.db else default_db_path()
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_application_font(qt_app)  # type: ignore[arg-type]
    bridge.set_language(ns.lang)
    app = Conclave(path, calendar)
    meetings = app.views.meetings()
    if not meetings:
        from ui.start import StartDialog

        dialog = StartDialog(app)
        if not dialog.exec():
            return 0
        meetings = app.views.meetings()
    meeting_id = meetings[-1].id if ns.meeting is None else app.views.only_meeting(ns.meeting)
    from ui.main_window import MainWindow

    window = MainWindow(app, meeting_id)
    window.show()
    print(f"window shown after {time.perf_counter() - started:.2f} s")
    code = qt_app.exec()  # type: ignore[union-attr]
    app.close()
    return int(code)
