"""What an import reports back: problems that point at a cell, Chinese first.

The secretary fixes problems in Excel, so every problem names the place the way
Excel shows it — the row number with the header as row 1, the column letter and
the header text — plus the rule id (for support and the manual) and a message in
Chinese, with the English one beside it. The location is written into both
messages, so a GUI that only shows ``message_zh`` still tells the user where to
look; ``row``/``column``/``letter`` are there for a table view that sorts or
jumps to the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Literal, TypeVar

from openpyxl.utils import column_index_from_string

from app.errors import Violation
from app.text import bi

T = TypeVar("T")
Kind = Literal["candidates", "pool"]

# Rule ids of the importer itself; the data rules (candidate.duplicate, ...) are the engine's.
FILE = "import.file"                          # unreadable, corrupt, wrong type, too large
UNKNOWN_COLUMN = "import.unknown_column"      # a header not recognised, or data under no header
DUPLICATE_COLUMN = "import.duplicate_column"  # two columns for the same field
MISSING_COLUMN = "import.missing_column"      # a required column is absent
MISSING_VALUE = "import.missing_value"        # a required cell is empty
VALUE = "import.value"                        # a value that is not allowed


@dataclass(frozen=True, slots=True)
class Place:
    """A column as it stands in the user's file: its letter and its header text."""

    letter: str
    header: str


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem of an imported file (导入问题), located as Excel shows it.

    ``row`` is the Excel row number (header = 1, first data row = 2), ``None`` for a
    problem of the whole file or of a missing column. ``column`` is the header text
    as written in the file (or the expected header when the column is missing) and
    ``letter`` its column letter.
    """

    row: int | None
    column: str | None
    rule: str
    message_zh: str
    message_en: str
    letter: str | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message_zh}"

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "letter": self.letter, "rule": self.rule,
                "message_zh": self.message_zh, "message_en": self.message_en}

    def as_violation(self) -> Violation:
        """The problem as the engine's :class:`Violation`: both messages, its row and its column."""
        return Violation(self.rule, bi(self.message_en, self.message_zh), row=self.row, field=self.column)

    def sort_key(self) -> tuple[int, int]:
        return (self.row or 0, column_index_from_string(self.letter) if self.letter else 0)


def where_zh(row: int | None, place: Place | None = None, header: str | None = None) -> str:
    """``第 5 行 D 列（身份证号）`` — the location the way a Chinese user reads Excel."""
    named = f"（{place.header}）" if place is not None and place.header else ""
    if place is not None and row is not None:
        return f"第 {row} 行 {place.letter} 列{named}"
    if place is not None:
        return f"{place.letter} 列{named}"
    if row is not None:
        return f"第 {row} 行"
    return f"“{header}”列" if header else ""


def where_en(row: int | None, place: Place | None = None, header: str | None = None) -> str:
    named = f" ({place.header})" if place is not None and place.header else ""
    if place is not None and row is not None:
        return f"Row {row}, column {place.letter}{named}"
    if place is not None:
        return f"Column {place.letter}{named}"
    if row is not None:
        return f"Row {row}"
    return f"Column {header!r}" if header else ""


def problem(rule: str, zh: str, en: str, row: int | None = None, place: Place | None = None,
            header: str | None = None) -> ImportProblem:
    """A problem with its location written in front of both messages."""
    lz, le = where_zh(row, place, header), where_en(row, place, header)
    return ImportProblem(
        row=row,
        column=(place.header or None) if place else header,
        rule=rule,
        message_zh=f"{lz}：{zh}" if lz else zh,
        message_en=f"{le}: {en}" if le else en,
        letter=place.letter if place else None,
    )


@dataclass
class ImportResult(Generic[T]):
    """A parsed file: the good rows, and every problem found in the whole file.

    ``rows`` holds the rows that parsed cleanly (for a preview), ``row_numbers`` the
    Excel row of each. A result with problems must not be stored at all: the
    importer stores a file only when ``problems`` is empty.
    """

    path: Path
    kind: Kind
    rows: list[T] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)  # field name -> where it is

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportReport:
    """What the secretary sees after an import: "N rows imported", or the problems."""

    path: Path
    kind: Kind
    imported: int
    problems: tuple[ImportProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary_zh(self) -> str:
        what = "申报人" if self.kind == "candidates" else "评审专家"
        if self.ok:
            return f"已导入 {self.imported} 行（{what}）"
        return f"发现 {len(self.problems)} 个问题，未导入任何数据；请修改文件后重新导入"

    @property
    def summary_en(self) -> str:
        what = "candidates" if self.kind == "candidates" else "pool experts"
        if self.ok:
            return f"{self.imported} rows imported ({what})"
        return (f"{len(self.problems)} problems found; nothing was imported. "
                "Correct the file and import it again")


class FileProblem(Exception):
    """The file as a whole cannot be read; carries the messages for :data:`FILE`."""

    def __init__(self, zh: str, en: str, rule: str = FILE, row: int | None = None) -> None:
        super().__init__(en)
        self.zh, self.en, self.rule, self.row = zh, en, rule, row

    def as_problem(self) -> ImportProblem:
        return problem(self.rule, self.zh, self.en, row=self.row)


class CellError(Exception):
    """A cell's value is not allowed; raised by the column converters."""

    def __init__(self, rule: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.rule, self.zh, self.en = rule, zh, en
