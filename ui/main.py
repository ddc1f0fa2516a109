"""``conclave gui``: the program the secretary and the chair use all day.

``conclave gui --demo`` builds the demo meeting (steps 1–6 finished, the ballot
next; ``--demo-until N`` stops elsewhere) in the user data folder and opens it.
``conclave gui --db FILE`` opens a meeting database; with neither, the meeting opened last
(File › Recent meetings), else the default database; a database without a meeting shows the
start dialog, which creates one or builds the demo in its own file (``demo.sqlite3``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from app.commands.calendar import run_calendar
from app.rules.calendar import WorkCalendar
from app.services import Conclave, default_db_path


def demo_db_path() -> Path:
    """The demo's own database, beside the default one: the demo never goes into a real meeting's."""
    return default_db_path().with_name("demo.sqlite3")


def prepare_demo(path: Path, until: int, calendar: WorkCalendar | None = None) -> int:
    """The demo meeting, built afresh in its own file ``path``; its meeting id."""
    from app.demo import build_demo, remove_demo

    remove_demo(path)
    with Conclave(path, calendar) as app:
        return build_demo(app, out=lambda _s: None, until=until)


def _start_path(ns: argparse.Namespace) -> Path:
    """``--db``, else the meeting opened last (if its file is still there), else the default."""
    from ui.recent import RecentMeetings

    if ns.db:
        return Path(ns.db)
    recent = RecentMeetings().entries()
    return recent[0].path if recent else default_db_path()


def run(ns: argparse.Namespace) -> int:
    from ui.syslibs import check

    missing = check()                  # Linux: X11/GL libraries, named before Qt's plugin error would be
    if missing:
        print(missing, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    from ui.fonts import apply_application_font
    from ui.i18n import bridge
    from ui.ops import install_excepthook

    started = time.perf_counter()
    calendar = run_calendar(ns)       # --calendar FILE: its years for this run (bad file: refused, no window)
    if ns.demo:
        path = Path(ns.db) if ns.db else demo_db_path()
        print(f"building the demo meeting in {path} …")
        prepare_demo(path, ns.demo_until, calendar)
    else:
        path = _start_path(ns)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_application_font(qt_app)  # type: ignore[arg-type]
    bridge.set_language(ns.lang)
    install_excepthook()
    app = Conclave(path, calendar)
    meetings = app.views.meetings()
    if not meetings:
        from ui.start import StartDialog

        dialog = StartDialog(app)
        if not dialog.exec():
            app.close()
            return 0
        if dialog.opened_path is not None:        # the demo, built in its own file
            app.close()
            app = Conclave(dialog.opened_path)
        meetings = app.views.meetings()
    meeting_id = meetings[-1].id if ns.meeting is None else app.views.only_meeting(ns.meeting)
    from ui.main_window import MainWindow

    window = MainWindow(app, meeting_id, owns_app=True)
    window.show_fitted()
    print(f"window shown after {time.perf_counter() - started:.2f} s")
    code = qt_app.exec()
    window.app.close()
    return int(code)
