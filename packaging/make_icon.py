"""Draw the program's icon once: packaging/conclave.png (256 px) and packaging/conclave.ico.

The repository had no icon; the bundle's EXEs and the install sheet need one. A red seal
square (the committee's seal is what the papers carry) with 评 in the bundled serif font.
Run from the repository root with Qt and Pillow installed; the results are committed, so a
build never draws it again: ``python packaging/make_icon.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

ROOT = Path(__file__).resolve().parents[1]
SIZE = 256
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw() -> QImage:
    font_id = QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "NotoSerifSC-Regular-glyf.ttf"))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    red = QColor("#b3261e")
    p.setBrush(red)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(8, 8, SIZE - 16, SIZE - 16), 36, 36)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#fbeeee"), 10))
    p.drawRoundedRect(QRectF(28, 28, SIZE - 56, SIZE - 56), 22, 22)
    font = QFont(family)
    font.setPixelSize(150)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#fbeeee"))
    p.drawText(QRectF(0, 0, SIZE, SIZE - 6), Qt.AlignmentFlag.AlignCenter, "评")
    p.end()
    return image


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    png = ROOT / "packaging" / "conclave.png"
    draw().save(str(png))
    Image.open(png).save(ROOT / "packaging" / "conclave.ico", sizes=ICO_SIZES)
    print(f"wrote {png} and conclave.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
