"""The core (`app`) never imports Qt: a fresh interpreter imports every module and checks."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Imports every app module, prints the Qt modules loaded (none, we hope); then imports Qt and
#: prints them again with the same check — which must see them: the check is not blind.
SCRIPT = """
import importlib, pkgutil, sys
import app
def loaded_qt():
    return ",".join(sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}))
for info in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(info.name)
print(loaded_qt())
import PySide6.QtCore
print(loaded_qt())
"""


@pytest.fixture(scope="module")
def printed() -> list[str]:
    """The two lines one fresh interpreter prints (an interpreter importing all of app costs
    about two seconds; the two tests used to start one each)."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    return done.stdout.split("\n")


def test_importing_every_app_module_pulls_in_no_qt(printed: list[str]) -> None:
    assert printed[0].strip() == "", f"app imports Qt: {printed[0]}"


def test_the_check_itself_sees_qt_when_it_is_imported(printed: list[str]) -> None:
    assert "PySide6" in printed[1]
