"""Which refusals must speak Chinese, and how to tell: shared by the static check of app/
(``tests/test_refusals_bilingual.py``) and the run-time watch of every test (``tests/conftest.py``).

Every :class:`~app.errors.Violation` the engine makes can reach the secretary, so its
message is ``bi(english, chinese)``. The one exception is :data:`WIRE`: the code that
writes messages only for the files of ``conclave recount`` and ``conclave draw``, whose
``{"rule", "message"}`` entries spec/meeting-record.md fixes in English (the command-line
files must not change). Nothing else may be English only.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

from app.errors import Violation

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

#: (file, function or None for the whole file) -> why its messages are English only.
WIRE: dict[tuple[str, str | None], str] = {
    ("app/formats.py", None):
        "the strict JSON reader of the record, draw and calendar files: its messages name JSON paths "
        "and are written into result.json / drawn.json, English by spec/meeting-record.md",
    ("app/record/recount.py", None):
        "conclave recount: the cross-checks it adds to result.json's errors (spec/meeting-record.md)",
    ("app/record/drawfile.py", None):
        "conclave draw: drawn.json's errors, escaped for the file (spec/meeting-record.md)",
    ("app/rules/calendar.py", "load_calendar_file"):
        "conclave recount --calendar: the calendar file's errors, written into result.json",
}


def is_wire(path: str, function: str | None) -> bool:
    return (path, None) in WIRE or (path, function) in WIRE


def has_chinese(violation: Violation) -> bool:
    return violation.zh is not None and CJK.search(violation.zh) is not None


# -- the run-time watch -----------------------------------------------------------------------
_found: list[str] = []


@cache
def _in_repo(filename: str) -> str | None:
    """``app/services/setup.py`` for a code object's file name; None outside the repository."""
    try:
        return Path(filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None


def _maker(frame: FrameType | None) -> tuple[str, str, int] | None:
    """The app/ file, function and line that made a violation (past RuleViolation.single)."""
    while frame is not None and _in_repo(frame.f_code.co_filename) == "app/errors.py":
        frame = frame.f_back
    if frame is None:
        return None
    path = _in_repo(frame.f_code.co_filename)
    if path is None:
        return None
    line = frame.f_lineno
    while frame.f_back is not None and frame.f_code.co_name.startswith("<") and frame.f_back.f_code.co_filename \
            == frame.f_code.co_filename:   # a comprehension or lambda: named after its function
        frame = frame.f_back
    return path, frame.f_code.co_name, line


def _watched_init(self: Violation, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    made = _maker(sys._getframe(1))
    if made is None or not made[0].startswith("app/") or is_wire(made[0], made[1]) or has_chinese(self):
        return
    _found.append(f"{made[0]}:{made[2]} ({made[1]}) [{self.rule}] {self.en}")


_original_init = Violation.__init__
Violation.__init__ = _watched_init  # type: ignore[method-assign]


@contextmanager
def english_only_refusals() -> Iterator[list[str]]:
    """Collects every violation made by app/ code (outside :data:`WIRE`) that has no Chinese."""
    _found.clear()
    found: list[str] = []
    try:
        yield found
    finally:
        found.extend(_found)
        _found.clear()
