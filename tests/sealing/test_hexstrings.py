"""The seal's hexadecimal strings read in one slice (app/sealing/hexstrings.py) read exactly as
pyHanko's own reader reads them: the same string object, the same error, the stream left at the
same place — on random input made of digits, whitespace, comments, stray bytes and closing brackets,
with or without the end of the stream, across the reader's chunk boundaries."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic

from app.sealing import hexstrings
from tests.examples import examples

_PIECES = st.sampled_from([b"0", b"7", b"a", b"F", b"3f", b"FE", b"FF", b"00", b" ", b"\n", b"\r\n", b"\t",
                           b"\x00", b"\x0c", b"%", b"% a comment >\n", b">", b"<", b"g", b"(", b"\xff", b"/"])


def _read(reader: Callable[[Any], Any], data: bytes) -> tuple[object, ...]:
    stream = io.BytesIO(data)
    try:
        value = reader(stream)
    except Exception as exc:
        return ("raised", type(exc), str(exc), stream.tell())
    return ("read", type(value), value, stream.tell())


@settings(max_examples=examples(600), deadline=None)
@given(body=st.lists(_PIECES, max_size=40).map(b"".join), after=st.sampled_from([b"", b">", b" /Foo 1>>"]),
       chunk=st.integers(min_value=1, max_value=9))
def test_the_one_slice_reader_reads_as_pyhanko_reads(body: bytes, after: bytes, chunk: int) -> None:
    data = b"<" + body + after
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(hexstrings, "_CHUNK", chunk)       # a closing ">" on every side of a chunk's edge
        ours = _read(hexstrings.read_hex_string, data)
    assert ours == _read(hexstrings.ORIGINAL, data), data


def test_a_seals_signature_is_read_in_one_slice_and_the_parser_uses_it() -> None:
    signature = bytes(range(256)) * 20
    written = b"<" + signature.hex().upper().encode() + b">"
    value = hexstrings.read_hex_string(io.BytesIO(written))
    assert isinstance(value, generic.ByteStringObject) and bytes(value) == signature
    hexstrings.install()
    hexstrings.install()                              # once is enough; a second call changes nothing
    assert generic.read_hex_string_from_stream is hexstrings.read_hex_string
    parsed = generic.read_object(io.BytesIO(written + b" 0 R"), None)    # as pyHanko's parser meets it
    assert isinstance(parsed, generic.ByteStringObject) and bytes(parsed) == signature
