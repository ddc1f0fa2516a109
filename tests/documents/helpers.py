"""Helpers for the document tests: the builders, text extraction with pypdf and poppler."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents import (
    DocumentResult,
    make_ballots,
    make_checkin_sheet,
    make_commitment_letters,
    make_filing_report,
    make_honoraria_sheet,
    make_minutes,
    make_publicity_notice,
    make_result_sheets,
    make_tally_sheet,
    make_vote_summary,
    make_work_summary,
)
from app.documents.model import MeetingReport

BUILDERS: dict[str, Callable[[MeetingReport, Path], DocumentResult]] = {
    "minutes": make_minutes,
    "results": make_result_sheets,
    "commitments": make_commitment_letters,
    "checkin": make_checkin_sheet,
    "votes": make_vote_summary,
    "honoraria": make_honoraria_sheet,
    "ballots": lambda r, p: make_ballots(r, 1, p, copies=3),
    "runoff": lambda r, p: make_ballots(r, 2, p, copies=2),
    "tally": lambda r, p: make_tally_sheet(r, 1, p),
    "publicity": make_publicity_notice,
    "filing": make_filing_report,
    "summary": make_work_summary,
}


def pypdf_text(path: Path) -> list[str]:
    """Text of each page as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def pdftotext(path: Path, *args: str) -> str:
    """Text as poppler's pdftotext extracts it (skips when poppler-utils is missing)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([exe, *args, str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text without whitespace: extraction tools differ in where they put spaces."""
    return "".join(text.split())
