"""pyHanko's reader of PDF hexadecimal strings, made to read a seal's signature in one go.

Every seal holds its signature (the CMS, about 5 KB) as a hexadecimal string of ten thousand and more
digits (``/Contents <3082…>``). pyHanko 0.38 reads such a string one byte at a time, each through
its whitespace-and-comment skipper: half of what checking a seal costs (35 ms of 70 for a result
sheet), and a meeting's documents are checked seal by seal as they are written, archived and
verified — 1,500 and more on a provincial meeting.

:func:`read_hex_string` reads the same string in one slice when it is what a seal writes (hexadecimal
digits and PDF whitespace up to the closing ``>``) and returns what pyHanko's reader returns, with
the stream left where pyHanko leaves it. Anything else — a comment, a stray byte, no closing ``>``
before the end — is handed to pyHanko's own reader from where it started, so errors and odd files
are read exactly as before (``tests/sealing/test_hexstrings.py`` compares both on random input).
:func:`install` puts it in pyHanko's parser (``generic.read_object`` calls the module's function by
name), for the verifier (:mod:`app.sealing.verify`); pyHanko is pinned below 0.39, whose reader is the
one described here (the comparison test fails on a pyHanko that reads otherwise).
"""

from __future__ import annotations

import binascii
import os
from collections.abc import Callable
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PDF_WHITESPACE

#: pyHanko's own reader (kept before :func:`install` replaces it; the fallback).
ORIGINAL: Callable[[Any], Any] = generic.read_hex_string_from_stream

_DIGITS_AND_SPACE = generic.HEX_DIGITS + PDF_WHITESPACE
_CHUNK = 1 << 16


def read_hex_string(stream: Any) -> Any:
    """A hexadecimal string read from ``stream`` at its ``<``: see the module."""
    start = stream.tell()
    stream.read(1)                                    # the opening "<"
    parts: list[bytes] = []
    while True:
        chunk = stream.read(_CHUNK)
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            stream.seek(end + 1 - len(chunk), os.SEEK_CUR)      # just past the ">", as pyHanko leaves it
            break
        parts.append(chunk)
        if len(chunk) < _CHUNK:                       # the end of the stream: pyHanko's reader says so
            stream.seek(start)
            return ORIGINAL(stream)
    body = b"".join(parts)
    if body.translate(None, _DIGITS_AND_SPACE):       # a comment or a byte that is no digit: pyHanko's way
        stream.seek(start)
        return ORIGINAL(stream)
    digits = body.translate(None, PDF_WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def install() -> None:
    """Make pyHanko's parser read hexadecimal strings with :func:`read_hex_string` (once; idempotent)."""
    if generic.read_hex_string_from_stream is ORIGINAL:
        generic.read_hex_string_from_stream = read_hex_string
