"""Importing the candidate roster (申报人花名册) and the expert pool (评审专家库) from .xlsx or CSV.

The secretary picks a file; the GUI shows either "N rows imported" or the list of
problems, each at an Excel row (header = row 1) and column (letter and header
text), with its rule id and a message in Chinese and English. Nothing is
half-imported: the whole file is checked first, and stored in one service call
only when it is clean.

* :func:`read_candidates`, :func:`read_pool` — parse only (for a preview).
* :func:`import_candidates`, :func:`import_pool` — parse, then store all or nothing.
* :func:`reimport_pool` — a corrected pool file again: experts already in the pool corrected, others added.
* :func:`write_template` — the downloadable templates (.xlsx with 说明 and 示例 sheets, or .csv).
* :func:`write_roster` — rows in the template's layout (the demo rosters, exports).

Rule ids: ``import.file``, ``import.unknown_column``, ``import.duplicate_column``,
``import.missing_column``, ``import.missing_value``, ``import.value``, and the
engine's ``candidate.duplicate``, ``expert.duplicate``, ``candidate.id_number``,
``candidate.failed_this_year``, ``candidate.facts`` (a fact that cannot be right, e.g. a
title obtained after the meeting), ``candidate.quota_post`` (a quota of another unit or
post, X§10(七)), ``format.value``, ``meeting.unknown``, ``committee.unknown`` when the
services refuse a clean file — each at its row and column.
"""

from app.importing.columns import CANDIDATES, POOL, Column, Spec
from app.importing.parse import read_candidates, read_pool
from app.importing.problems import ImportProblem, ImportReport, ImportResult, Kind, Place
from app.importing.store import import_candidates, import_pool, reimport_pool
from app.importing.templates import write_demo_rosters, write_roster, write_template

__all__ = [
    "CANDIDATES",
    "POOL",
    "Column",
    "ImportProblem",
    "ImportReport",
    "ImportResult",
    "Kind",
    "Place",
    "Spec",
    "import_candidates",
    "import_pool",
    "read_candidates",
    "read_pool",
    "reimport_pool",
    "write_demo_rosters",
    "write_roster",
    "write_template",
]
