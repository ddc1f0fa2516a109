"""Before the window opens on Linux: are the system libraries Qt's X11 platform needs there?

PySide6's wheels (and the bundle) carry Qt itself but not the X11, XCB and OpenGL libraries of
the system. Without them Qt prints "could not load the Qt platform plugin "xcb" … Reinstalling
the application may fix this problem" and aborts — which sends a secretary to reinstall, while
the fix is one apt command. So ``conclave gui`` loads each library by its soname first (what the
dynamic linker would do, nothing more), and names the missing ones with their Debian/Ubuntu
packages. Checked only where Qt would use xcb: not on Wayland, not offscreen, not elsewhere.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# soname -> Debian/Ubuntu package, as the xcb plugin, QtGui and QtCore of PySide6 6.6–6.11 need them.
XCB_LIBRARIES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Would Qt start on its X11 (xcb) platform here?"""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen == "xcb"
    return not env.get("WAYLAND_DISPLAY")


def missing_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The Debian/Ubuntu packages of the libraries that do not load, in the table's order."""
    return list(dict.fromkeys(package for soname, package in XCB_LIBRARIES.items() if not loads(soname)))


def refusal(packages: list[str]) -> str:
    """The message instead of Qt's plugin error: what is missing and the command that adds it."""
    names = " ".join(packages)
    return (f"conclave gui: the window needs system libraries that are missing — install them: "
            f"sudo apt install {names} (Debian/Ubuntu names; Kylin, UOS: the same, or your vendor's) | "
            f"会议窗口缺少系统图形库，请由管理员安装：sudo apt install {names}")


def check() -> str | None:
    """None if the window can start as far as system libraries go; else the message to print."""
    if not uses_xcb():
        return None
    packages = missing_packages()
    return refusal(packages) if packages else None
