"""Registering the bundled fonts at start-up, so Chinese renders on a machine without Chinese fonts.

The same files the documents embed (``resources/fonts``) are added to Qt's font
database once; the application font then lists the main face first and the
Ext-B fallback after it, so a rare character in a name (𠈌) still has a glyph.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

_registered: list[str] = []


def register_bundled_fonts() -> list[str]:
    """Add every bundled .ttf to Qt once; returns the family names in order (main face first)."""
    if _registered:
        return list(_registered)
    folder = resources.files("resources").joinpath("fonts")
    names = sorted((e.name for e in folder.iterdir() if e.name.endswith(".ttf")),
                   key=lambda n: (not n.startswith("Noto"), n))
    for name in names:
        data = folder.joinpath(name).read_bytes()
        font_id = QFontDatabase.addApplicationFontFromData(data)
        if font_id >= 0:
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _registered:
                    _registered.append(family)
    return list(_registered)


def apply_application_font(app: QApplication, point_size: int = 11) -> QFont:
    families = register_bundled_fonts()
    font = QFont()
    font.setFamilies(families)
    font.setPointSize(point_size)
    app.setFont(font)
    return font
