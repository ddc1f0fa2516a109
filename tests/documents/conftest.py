"""Fixtures: the sample report and every document built once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.documents import DocumentResult, sample_report
from app.documents.model import MeetingReport
from tests.documents.helpers import BUILDERS


@pytest.fixture(scope="session", autouse=True)
def bundled_fonts_only() -> Iterator[None]:
    """The bundled fonts only, whatever this machine has installed: the same PDFs everywhere."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONCLAVE_NO_SYSTEM_FONTS", "1")
        yield


@pytest.fixture(scope="session")
def report() -> MeetingReport:
    return sample_report()


@pytest.fixture(scope="session")
def built(report: MeetingReport, tmp_path_factory: pytest.TempPathFactory,
          bundled_fonts_only: None) -> dict[str, DocumentResult]:
    out = tmp_path_factory.mktemp("documents")
    return {name: build(report, out / f"{name}.pdf") for name, build in BUILDERS.items()}
