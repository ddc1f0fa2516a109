"""Opening the window loads no document, sealing, key or spreadsheet library (they load on first use,
inside the documents service's methods): the structural reason the window opens in about a second
(see tests/bench/bench_gui_open.py)."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.main_window import MainWindow
import ui.pages, ui.catalog
heavy = sorted({m.split(".")[0] for m in sys.modules}
               & {"pyhanko", "reportlab", "openpyxl", "aiohttp", "qrcode", "cryptography", "asn1crypto"})
stacks = sorted(m for m in sys.modules if m.startswith(("app.documents", "app.sealing.keys", "app.sealing.sign",
                                                        "app.sealing.verify")))
print(",".join(heavy + stacks))
"""


def test_the_window_and_its_pages_import_no_heavy_library() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "", f"loaded at start-up: {done.stdout.strip()}"
