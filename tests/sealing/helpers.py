"""Test helpers: make a real PDF, seal it, and tamper with it the ways an editor would."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.sealing.keys import CommitteeKey
from app.sealing.sign import seal_pdf

PAGE_TEXT = "Result sheet: candidate 0042 passed"


def make_pdf(path: Path, pages: int = 1, text: str = PAGE_TEXT) -> Path:
    """A small real PDF; uncompressed so a test can find and change the visible text."""
    c = canvas.Canvas(str(path), pagesize=A4, pageCompression=0, invariant=1)
    for n in range(pages):
        c.drawString(72, 760, f"{text} (page {n + 1})")
        c.showPage()
    c.save()
    return path


def seal(
    src: Path, dst: Path, key: CommitteeKey, options: dict[str, object], **extra: object
) -> Path:
    kwargs = {"location": "评审会场", **options, **extra}
    return seal_pdf(src, dst, key, **kwargs)  # type: ignore[arg-type]


def change_one_byte(path: Path, marker: bytes, offset: int = 0) -> None:
    """Replace exactly one byte, at ``marker`` + ``offset``, keeping the file length."""
    data = bytearray(path.read_bytes())
    at = data.index(marker) + offset
    data[at] = data[at] ^ 0x01
    path.write_bytes(bytes(data))


def append_annotation(path: Path) -> None:
    """Append an incremental update adding a text annotation to page 1, as an editor would."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    annot = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
                generic.pdf_name("/Rect"): generic.ArrayObject(
                    generic.NumberObject(v) for v in (72, 700, 92, 720)
                ),
                generic.pdf_name("/Contents"): generic.TextStringObject("不通过"),
            }
        )
    )
    existing = page.get("/Annots")
    annots = list(existing.get_object()) if existing is not None else []
    page[generic.pdf_name("/Annots")] = generic.ArrayObject([*annots, annot])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
