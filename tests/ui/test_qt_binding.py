"""Guard against a Qt binding that corrupts Python objects sent through signals.

PySide6 6.12.0 decrements the reference count of ``True``/``False`` on every
emission of a ``bool`` (or ``object``) signal, and the interpreter aborts soon
after. The check runs in a child process so that a bad binding fails this test
instead of killing the whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
app = QApplication([])
class Bridge(QObject):
    flag = Signal(bool)
    value = Signal(object)
b = Bridge()
seen = []
b.value.connect(seen.append)
for _ in range(20000):
    b.flag.emit(True); b.flag.emit(False); b.value.emit(None); b.value.emit(True)
print("ok", len(seen))
"""


def test_signals_carry_python_bools_safely() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, f"the Qt binding corrupts signal arguments:\n{done.stderr[-800:]}"
    assert done.stdout.split() == ["ok", "40000"]
