"""The QR code on every printed sheet: document id + SHA-256 of its canonical content.

Why: a paper sheet (ballot, result sheet, minutes page) must be checkable against the
archive years later. The code says which document the sheet belongs to and the digest
of the data the document shows; the verifier (``app.sealing.qrcheck``) looks the id up
in the registry of issued documents and compares digests.

*Canonical content* is a deterministic JSON serialisation of the data the document
shows (never of the PDF bytes, which change with fonts or reportlab versions):
dataclasses become objects of their fields, enums their values, dates ISO 8601,
Decimals their shortest plain form (``400``, not ``400.00``), tuples and lists arrays,
sets sorted arrays, strings NFC; keys sorted, no insignificant whitespace, UTF-8.
The same data always gives the same digest, on any machine.

Payload: ``conclave:1:<doc_id>:<sha256 lowercase hex>``. The id is 1–128 characters
without whitespace and may contain colons, so the digest is taken from the right.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import math
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

import qrcode
import qrcode.constants
from reportlab.pdfgen.canvas import Canvas

# The payload format lives once, with its verifier; printing and checking share it.
from app.sealing.qrcheck import QR_SCHEME as SCHEME  # noqa: F401  (re-exported)
from app.sealing.qrcheck import QR_VERSION as VERSION  # noqa: F401
from app.sealing.qrcheck import QrPayload as QrPayload
from app.sealing.qrcheck import format_payload as qr_payload  # noqa: F401
from app.sealing.qrcheck import parse_payload as parse_qr_payload  # noqa: F401


def to_canonical(value: Any) -> Any:
    """Plain JSON values for ``value`` (see the module docstring for the rules)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, enum.Enum):
        return to_canonical(value.value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        return to_canonical(Decimal(repr(value)))
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.name.startswith("_")}
    if isinstance(value, Mapping):
        return {str(to_canonical(k)): to_canonical(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((to_canonical(v) for v in value), key=_sort_key)
    if isinstance(value, list | tuple):
        return [to_canonical(v) for v in value]
    raise TypeError(f"cannot make canonical content from {type(value).__name__}")


def _sort_key(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def canonical_json(data: Any) -> bytes:
    """The canonical content of ``data`` as UTF-8 bytes."""
    return json.dumps(to_canonical(data), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), allow_nan=False).encode("utf-8")


def canonical_sha256(data: Any) -> str:
    """SHA-256 (lowercase hex) of the canonical content of ``data``."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


#: The data mask every code uses. ``qrcode`` would try all eight and score each with its
#: pure-Python penalty rules — about 25 ms a code, over a second per meeting's papers — to
#: pick the one with the fewest finder-like runs; a fixed mask costs one build (5 ms). Mask 0
#: (the checkerboard) breaks long runs of either colour in any data; the tests decode every
#: result sheet's code and a ballot's with zbarimg from a 150 dpi render.
MASK_PATTERN = 0


@lru_cache(maxsize=256)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules (True = dark), error correction M, no quiet zone, data mask :data:`MASK_PATTERN`."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         mask_pattern=MASK_PATTERN)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


def draw_qr(canv: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the code as vector squares with its lower-left corner at (x, y).

    The caller leaves a white quiet zone around it (4 modules is the standard).
    """
    matrix = qr_matrix(payload)
    n = len(matrix)
    m = size / n
    path = canv.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                path.rect(x + start * m, y + size - (r + 1) * m, (c - start) * m, m)
            else:
                c += 1
    canv.saveState()
    canv.setFillColorRGB(0, 0, 0)
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()
