"""How long the main window takes to open on the demo meeting (target: under 2 s).

Run: ``python tests/bench/bench_gui_open.py`` (offscreen). It builds the demo
meeting once, then starts a fresh interpreter several times and measures, in
each, from the first import of the interface to the window shown with the
current step's page loaded — the wait a secretary sees when starting Conclave.
Not collected by pytest (its name does not start with ``test_``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
from app.services import Conclave
from ui.fonts import apply_application_font
from ui.main_window import MainWindow
t_import = time.perf_counter()
qt = QApplication([])
apply_application_font(qt)
t_fonts = time.perf_counter()
window = MainWindow(Conclave(sys.argv[1]), 1)
window.show()
qt.processEvents()
t_shown = time.perf_counter()
print(f"{t_import - t0:.3f} {t_fonts - t_import:.3f} {t_shown - t_fonts:.3f} {t_shown - t0:.3f} "
      f"{window.wizard.currentId()}")
"""


def main(runs: int = 5) -> None:
    from app.demo import build_demo
    from app.domain import Step
    from app.services import Conclave

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.sqlite3"
        with Conclave(db) as app:
            build_demo(app, out=lambda _s: None, until=Step.PLENARY)
        rows = []
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True,
                                  env=env, check=True)
            rows.append([float(x) for x in done.stdout.split()])
    print(f"main window on the demo meeting (ballot next), {runs} fresh starts, offscreen:")
    for i, label in enumerate(("imports (Qt, SQLAlchemy, the app)", "fonts registered",
                               "window built and shown", "total")):
        values = [r[i] for r in rows]
        print(f"  {label:<36} median {statistics.median(values):.2f} s   max {max(values):.2f} s")
    print(f"  opened at page {int(rows[0][4])} (step 7, the ballot); target: total under 2 s")


if __name__ == "__main__":
    main()
