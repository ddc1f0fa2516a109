"""The candidates' and the pool experts' facts as the tables show them: the title applied for
(申报资格) and what the eligibility re-check looks at (学历, 现职称 and the day it was obtained,
任职年限, 破格申报); an expert's telephone and honoraria category.

One place for both the setup's tables and the eligibility page (step 2), so that a fact is
written the same way everywhere. A fact the roster or the pool did not give is shown as
"not given" in grey — never left looking like an empty answer, never filled from another
field — and an exceptional application (破格) stands out, because the chair must look at it.
"""

from __future__ import annotations

from typing import Any

from ui.i18n import bracketed, tr
from ui.models import Column

MISSING = "#8a8a8a"        # a fact not captured
NOTICE = "#b35c00"         # 破格: the re-check looks twice


def given(value: Any) -> str:
    """A captured fact as text, or "not given"."""
    return tr("not given") if value is None or value == "" else str(value)


def _grey(value: Any) -> str | None:
    return MISSING if value is None or value == "" else None


def held_title(c: Any) -> str:
    """现职称 with the day it was obtained: ``护师（2021-09-01）``."""
    if not c.current_title and c.current_title_date is None:
        return tr("not given")
    day = c.current_title_date.isoformat() if c.current_title_date else tr("date not given")
    return (c.current_title or tr("not given")) + bracketed(day)


def years_text(c: Any) -> str:
    return tr("not given") if c.years_in_post is None else tr("{n} years", n=c.years_in_post)


def exceptional_text(c: Any) -> str:
    if c.exceptional is None:
        return tr("not given")
    return tr("yes (破格)") if c.exceptional else tr("no")


#: Pixel widths of the fact columns (fixed: fitting many columns to their contents makes the table
#: measure every cell again on each change, and the headers are short in both languages).
CANDIDATE_FACT_WIDTHS = (94, 84, 150, 72, 94)
POOL_FACT_WIDTHS = (100, 120)


def candidate_fact_columns(*, title: bool = True) -> list[Column]:
    """The columns of the candidates' facts; ``title`` includes the title applied for."""
    columns = [Column("Applied title", lambda c: given(c.applied_title),
                      colour=lambda c: _grey(c.applied_title))] if title else []
    return [*columns,
            Column("Education", lambda c: given(c.education), colour=lambda c: _grey(c.education)),
            Column("Current title (since)", held_title,
                   colour=lambda c: MISSING if not c.current_title or c.current_title_date is None else None),
            Column("In post", years_text, colour=lambda c: _grey(c.years_in_post), align_right=True),
            Column("Exceptional", exceptional_text,
                   colour=lambda c: MISSING if c.exceptional is None else (NOTICE if c.exceptional else None))]


def pool_fact_columns() -> list[Column]:
    """An expert's honoraria category and telephone."""
    return [Column("Category", lambda e: given(e.category), colour=lambda e: _grey(e.category)),
            Column("Phone", lambda e: given(e.phone), colour=lambda e: _grey(e.phone))]
