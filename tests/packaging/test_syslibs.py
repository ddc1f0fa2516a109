"""``conclave gui`` on a bare Linux names the missing X11/GL system libraries (with the apt
command) instead of Qt's "could not load the Qt platform plugin" abort (ui/syslibs.py)."""

from __future__ import annotations

import re
import sys

import pytest

from app.cli import build_parser
from ui import syslibs
from ui.main import run


def test_libraries_are_really_loaded() -> None:
    assert syslibs._loads("libc.so.6") is (sys.platform.startswith("linux"))
    assert not syslibs._loads("libconclave-absent.so.7")


@pytest.mark.parametrize(("env", "platform", "xcb"), [
    ({}, "linux", True),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, "linux", True),
    ({}, "win32", False),
])
def test_checked_only_where_qt_would_use_xcb(env: dict[str, str], platform: str, xcb: bool) -> None:
    assert syslibs.uses_xcb(env, platform) is xcb


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_gui_names_the_missing_packages_and_opens_no_window(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(syslibs.XCB_LIBRARIES, "libconclave-absent.so.7", "libconclave-absent7")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert run(build_parser().parse_args(["gui", "--db", "/nonexistent/never-opened.sqlite3"])) == 1
    err = capsys.readouterr().err
    # The absent library's package is on the apt line, after any real package this machine lacks too.
    assert re.search(r"sudo apt install [a-z0-9. -]*\blibconclave-absent7\b", err) and "缺少系统图形库" in err
    assert err.count("libconclave-absent7") == 2
