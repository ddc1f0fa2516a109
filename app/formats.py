"""A strict reader for the JSON record files of ``spec/meeting-record.md``.

The reader walks a parsed JSON document and collects every violation instead of
stopping at the first: unknown fields (``format.unknown_field``), missing fields
(``format.missing_field``) and wrong values (``format.value``). Messages name the
path of the offending field, e.g. ``candidates[3].level``.

Usage::

    r = Reader()
    obj = r.object(doc, "", required={"format": str}, optional={"seed": str})
    if r.errors: ...

Each accessor returns ``None`` (or a safe default) for a bad value so that the
caller can keep checking the rest of the file.

A message quotes at most :data:`MAX_QUOTE` (80) characters of a bad value or an unknown
field's name (:func:`quote`), as the spec says: a 50 MB value must give a one-line message
of a hundred characters, and cutting it before ``repr`` keeps that cheap. Dates are exactly
``YYYY-MM-DD`` in ASCII digits: ``date.fromisoformat`` alone also takes ``2026-W47-5`` (an
ISO week date of ten characters) and ``20261120`` since Python 3.11.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import reprlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.errors import Violation

#: The most characters of a bad value a message quotes (spec/meeting-record.md).
MAX_QUOTE = 80
#: The most characters of one message in an error file or on stderr: a backstop for a message
#: that quotes a value whole (a rule's message naming a specialty); the longest real one is
#: under 200.
MAX_MESSAGE = 400
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# A field check: a Python type, or a callable (reader, path, value) -> converted value | None.
FieldCheck = type | Callable[["Reader", str, Any], Any]


class Reader:
    """Collects violations while reading a JSON document."""

    def __init__(self) -> None:
        self.errors: list[Violation] = []

    # -- reporting ---------------------------------------------------------
    def error(self, rule: str, message: str) -> None:
        self.errors.append(Violation(rule, message))

    def bad_value(self, path: str, message: str) -> None:
        self.error("format.value", f"{path}: {message}")

    # -- objects -----------------------------------------------------------
    def object(
        self,
        value: Any,
        path: str,
        required: Mapping[str, FieldCheck],
        optional: Mapping[str, FieldCheck] | None = None,
    ) -> dict[str, Any] | None:
        """Read a JSON object with exactly these fields; returns the checked values.

        Missing optional fields are absent from the result; fields whose value is
        wrong are present with ``None`` so the caller can tell "absent" from "bad".
        """
        optional = optional or {}
        label = path or "the file"
        if not isinstance(value, dict):
            self.bad_value(label, f"must be an object, not {_kind(value)}")
            return None
        out: dict[str, Any] = {}
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(sorted([*required, *optional]))
                where = _join(path, quote(key, marks=False, limit=20))  # the key is quoted again in full
                self.error("format.unknown_field", f"{where}: unknown field {quote(key)} (allowed: {allowed})")
        for key, check in required.items():
            if key not in value:
                self.error("format.missing_field", f"{_join(path, key)}: required field is missing")
                continue
            out[key] = self.check(check, _join(path, key), value[key])
        for key, check in optional.items():
            if key in value:
                out[key] = self.check(check, _join(path, key), value[key])
        return out

    def check(self, check: FieldCheck, path: str, value: Any) -> Any:
        if isinstance(check, type):
            return self.typed(check, path, value)
        return check(self, path, value)

    def typed(self, kind: type, path: str, value: Any) -> Any:
        # bool is an int in Python; JSON true is never a number here, and 1 is never true.
        if kind is bool:
            ok = isinstance(value, bool)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        else:
            ok = isinstance(value, kind)
        if not ok:
            self.bad_value(path, f"must be {_KIND_NAMES.get(kind, kind.__name__)}, not {_kind(value)}")
            return None
        if kind is str and not value.strip():
            self.bad_value(path, "must not be empty")
            return None
        return value

    def list_of(self, value: Any, path: str, item: FieldCheck) -> list[Any] | None:
        if not isinstance(value, list):
            self.bad_value(path, f"must be a list, not {_kind(value)}")
            return None
        return [self.check(item, f"{path}[{i}]", v) for i, v in enumerate(value)]


# -- reusable field checks -------------------------------------------------
def one_of(*choices: str) -> FieldCheck:
    """A string that must be one of ``choices``."""

    def check(r: Reader, path: str, value: Any) -> str | None:
        if not isinstance(value, str) or value not in choices:
            r.bad_value(path, f"must be one of {', '.join(choices)}; got {quote(value)}")
            return None
        return value

    return check


def iso_date(r: Reader, path: str, value: Any) -> dt.date | None:
    """A date written exactly YYYY-MM-DD (not an ISO week date, nor 20261120)."""
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    r.bad_value(path, f"must be a date written YYYY-MM-DD; got {quote(value)}")
    return None


def bounded(message: str) -> str:
    """``message`` cut to :data:`MAX_MESSAGE` characters (its Chinese too, when it has one)."""
    if len(message) <= MAX_MESSAGE and len(getattr(message, "zh", "")) <= MAX_MESSAGE:
        return message
    return message[:MAX_MESSAGE - 3] + "..."


def quote(value: Any, *, marks: bool = True, limit: int = MAX_QUOTE) -> str:
    """``value`` as a message quotes it: its ``repr``, cut to at most :data:`MAX_QUOTE` characters.
    A long string is cut before ``repr`` and a list or an object is shortened on the way
    (:mod:`reprlib`), so a 50 MB value costs nothing. ``marks=False``: a string without its
    quotation marks (a field name inside a path); ``limit``: fewer characters (a path that the
    message quotes again in full)."""
    if isinstance(value, str):
        cut = value[:limit + 1]
        text = repr(cut) if marks else cut
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        text = "a huge number"
    else:
        text = _SHORT.repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


_SHORT = reprlib.Repr()  # keyword arguments only from Python 3.12
_SHORT.maxstring = _SHORT.maxlong = _SHORT.maxother = MAX_QUOTE


def load_json(path: Path, r: Reader) -> Any:
    """Read and parse a JSON file; a problem becomes a ``format.value`` error, never a traceback."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        r.bad_value(str(path), "file not found")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        r.bad_value(str(path), f"cannot be read: {exc}")
        return None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys(r, path))
    except json.JSONDecodeError as exc:
        r.bad_value(str(path), f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
        return None
    except RecursionError:
        r.bad_value(str(path), "is nested too deeply")
        return None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        r.bad_value(str(path), f"is not valid JSON: {exc}")
        return None


#: No record or draw file nests deeper than a handful of levels; a value nested deeper is refused
#: before anything reads it, the same on every Python (3.11 meets its recursion limit quoting
#: such a value, 3.13 does not).
MAX_DEPTH = 32


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether a parsed JSON value nests lists and objects more than ``limit`` deep (iterative:
    no recursion, whatever the depth)."""
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = [child for item in level if isinstance(item, list | dict)
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return False
    return any(isinstance(item, list | dict) for item in level)


def _no_duplicate_keys(r: Reader, path: Path) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                r.bad_value(str(path), f"field {quote(key)} appears twice in one object")
            out[key] = value
        return out

    return hook


def write_json(path: Path, doc: Mapping[str, Any]) -> None:
    """Write a result file atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate quoted from bad input: escape everything
        data = (json.dumps(doc, ensure_ascii=True, indent=2) + "\n").encode("ascii")
    tmp.write_bytes(data)
    tmp.replace(path)


_KIND_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "an object"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {str: "a string", int: "a number", float: "a number", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
