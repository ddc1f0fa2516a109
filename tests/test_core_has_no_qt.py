"""The core (`app`) never imports Qt: a fresh interpreter imports every module and checks."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import app
for info in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(info.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"})
print(",".join(qt))
"""


def test_importing_every_app_module_pulls_in_no_qt() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"app imports Qt: {done.stdout}"


def test_the_check_itself_sees_qt_when_it_is_imported() -> None:
    done = subprocess.run([sys.executable, "-c", "import PySide6.QtCore\n" + SCRIPT],
                          capture_output=True, text=True, check=True)
    assert "PySide6" in done.stdout
