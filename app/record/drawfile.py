"""``conclave draw DRAW.json --out DIR``: the expert draw from a ``conclave-draw/1`` file.

The file is read strictly (``spec/meeting-record.md``, "Draw"): exact field names,
every violation collected. The draw itself is :func:`app.rules.draw.draw_panel`, the
same function the wizard uses, so the archived file and its ``drawn.json`` let the
supervisor (纪检监察) re-run the draw at any time and get the same panel.

Decisions the spec leaves open:

* A ``format`` other than ``conclave-draw/1`` (or not a string) is ``format.version``
  and nothing else is checked: the rest of a file of another format would only give
  noise. A *missing* ``format`` is ``format.missing_field`` and the rest is read as
  version 1.
* ``draw.*`` errors are looked for only once the file is free of ``format.*``
  errors: a pool read half-way would give wrong counts.
* ``seed``, when present, is any non-empty text; absent, a fresh one is drawn from
  the OS and recorded in ``drawn.json``.
* ``year`` and the ``served`` years lie in 1900–2999; ``title_years`` is 0 or more.
* Strings must be valid Unicode (a lone surrogate such as ``"\\ud800"`` is
  ``format.value``); messages that quote such text are escaped so ``drawn.json``
  can always be written.
* A message quotes at most 80 characters of a bad value (:func:`app.formats.quote`) and is
  never longer than :data:`app.formats.MAX_MESSAGE`: a 50 MB value once cost 44 s and
  685 MB here, echoed whole and escaped character by character.

Exit status: 0 written; 2 the input breaks a rule (``drawn.json`` is then
``{"errors": [...]}`` and stderr has one line naming the first rule id and how many
more); 1 ``drawn.json`` could not be written.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from app.errors import RuleViolation, Violation, one_line, output_refusal
from app.formats import FieldCheck, Reader, bounded, load_json, one_of, quote, too_deep, write_json
from app.rules.draw import PoolExpert, draw_panel

DRAW_FORMAT = "conclave-draw/1"


def run(ns: argparse.Namespace) -> int:
    """Read ``ns.draw``, write ``ns.out``/drawn.json; see the module docstring for exit codes."""
    r = Reader()
    try:
        doc = load_json(Path(ns.draw), r)
    except ValueError as exc:  # a NUL byte in the path; an integer of over 4300 digits
        r.bad_value(str(ns.draw), f"cannot be read: {exc}")
        doc = None
    unreadable = doc is None and bool(r.errors)  # not JSON at all: nothing more to say
    out = _errors_document(r) if unreadable else draw_from_document(doc, reader=r)
    target = Path(ns.out) / "drawn.json"
    try:
        write_json(target, out)
    except (OSError, ValueError) as exc:
        # exit 1, not 2: the draw file was read; what failed is the output folder (no drawn.json says so)
        print(_one_line(f"conclave draw: {one_line(output_refusal(target, exc))}"), file=sys.stderr)
        return 1
    if out["errors"]:
        violation = RuleViolation([Violation(e["rule"], e["message"]) for e in out["errors"]])
        print(_one_line(f"conclave draw: {violation}"), file=sys.stderr)
        return 2
    return 0


def draw_from_document(doc: Any, reader: Reader | None = None) -> dict[str, Any]:
    """The ``drawn.json`` document for a parsed draw file: the draw, or ``{"errors": [...]}``.

    ``reader`` may carry violations already found while parsing (duplicate keys);
    they are reported with the rest. Never raises for any JSON value.
    """
    r = reader or Reader()
    parsed = None
    if too_deep(doc):
        r.bad_value("the file", "is nested too deeply")
    else:
        try:
            parsed = _read(doc, r)
        except RecursionError:  # a message quoting a value nested a thousand deep
            r.bad_value("the file", "is nested too deeply")
    if not r.errors and parsed is not None:
        try:
            result = draw_panel(
                parsed["pool"],
                parsed["needs"],
                year=parsed["year"],
                level=parsed["level"],
                candidate_units=parsed["candidate_units"],
                alternates=parsed["alternates"],
                seed=parsed["seed"],
            )
        except RuleViolation as exc:
            r.errors.extend(exc.violations)
        else:
            return result.as_json()
    if not r.errors:  # pragma: no cover - _read returns None only with an error
        r.bad_value("the file", "could not be read")
    return _errors_document(r)


def _errors_document(r: Reader) -> dict[str, Any]:
    return {"errors": [_printable(v).as_json() for v in r.errors]}


def _read(doc: Any, r: Reader) -> dict[str, Any] | None:
    """Check the whole document; the values draw_panel needs, or None when an error was found."""
    if isinstance(doc, dict) and "format" in doc and doc["format"] != DRAW_FORMAT:
        r.error("format.version", f"format: expected {DRAW_FORMAT!r}, got {_short(doc['format'])}")
        return None
    top = r.object(
        doc, "",
        required={"format": _text, "committee": _committee, "year": _year, "pool": _pool,
                  "needs": _needs, "candidate_units": _text_list},
        optional={"alternates": _count, "seed": _text},
    )
    if top is None or r.errors:
        return None
    return {
        "pool": top["pool"],
        "needs": top["needs"],
        "year": top["year"],
        "level": top["committee"]["level"],
        "candidate_units": top["candidate_units"],
        "alternates": top.get("alternates", 0),
        "seed": top.get("seed"),
    }


# -- field checks (reader, path, value) -> converted value | None ---------------------------
def _text(r: Reader, path: str, value: Any) -> str | None:
    text: str | None = r.typed(str, path, value)
    if text is not None and not _valid_unicode(text):
        r.bad_value(path, "is not valid Unicode text (lone surrogate)")
        return None
    return text


def _text_list(r: Reader, path: str, value: Any) -> list[str] | None:
    return r.list_of(value, path, _text)


def _count(r: Reader, path: str, value: Any) -> int | None:
    n: int | None = r.typed(int, path, value)
    if n is not None and n < 0:
        r.bad_value(path, f"must be 0 or more; got {n}")
        return None
    return n


def _year(r: Reader, path: str, value: Any) -> int | None:
    y: int | None = r.typed(int, path, value)
    if y is not None and not 1900 <= y <= 2999:
        r.bad_value(path, f"must be a year within 1900–2999; got {_short(y)}")
        return None
    return y


def _committee(r: Reader, path: str, value: Any) -> dict[str, Any] | None:
    return r.object(value, path, required={
        "name": _text,
        "level": one_of("senior", "intermediate", "junior"),
        "organized_by": one_of("series", "specialty"),
    })


def _needs(r: Reader, path: str, value: Any) -> dict[str, int] | None:
    if not isinstance(value, dict):
        r.bad_value(path, f"must be an object of specialty: count, not {_kind(value)}")
        return None
    if not value:
        r.bad_value(path, "must name at least one specialty")
        return None
    out: dict[str, int] = {}
    for specialty, count in value.items():
        where = f"{path}.{quote(specialty, marks=False)}"
        if _text(r, f"{path} key {quote(specialty)}", specialty) is None:
            continue
        n = r.typed(int, where, count)
        if n is not None and n < 1:
            r.bad_value(where, f"must be 1 or more experts; got {n}")
        elif n is not None:
            out[specialty] = n
    return out


def _pool(r: Reader, path: str, value: Any) -> list[PoolExpert] | None:
    rows = r.list_of(value, path, _expert)
    if rows is None:
        return None
    first_row: dict[str, int] = {}
    for i, row in enumerate(rows):
        if row is None:
            continue
        if row.id in first_row:
            other = f"{path}[{first_row[row.id]}]"
            r.bad_value(f"{path}[{i}].id", f"{quote(row.id)} is also the id of {other}")
        else:
            first_row[row.id] = i
    return [row for row in rows if row is not None]


def _served(r: Reader, path: str, value: Any) -> list[int] | None:
    return r.list_of(value, path, _year)


_EXPERT_FIELDS: dict[str, FieldCheck] = {
    "id": _text, "name": _text, "unit": _text, "specialty": _text,
    "title": one_of("正高", "副高", "中级"), "title_years": _count,
    "served": _served, "blacklisted": bool,
}


def _expert(r: Reader, path: str, value: Any) -> PoolExpert | None:
    fields = r.object(value, path, required=_EXPERT_FIELDS,
                      optional={"conflict_units": _text_list})
    if fields is None or any(fields.get(k) is None for k in _EXPERT_FIELDS):
        return None
    if fields.get("conflict_units", []) is None:
        return None
    if None in fields["served"] or None in fields.get("conflict_units", []):
        return None
    return PoolExpert(
        id=fields["id"], name=fields["name"], unit=fields["unit"], specialty=fields["specialty"],
        title=fields["title"], title_years=fields["title_years"], served=tuple(fields["served"]),
        blacklisted=fields["blacklisted"], conflict_units=tuple(fields.get("conflict_units", ())),
    )


# -- text helpers ---------------------------------------------------------------------
def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _printable(v: Violation) -> Violation:
    """The violation with any text UTF-8 cannot hold escaped (``\\ud800``), cut to
    :data:`~app.formats.MAX_MESSAGE` characters (a rule's message quoting a huge specialty)."""
    return Violation(_escape(v.rule), _escape(bounded(v.message)))


def _escape(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: Every character ``str.splitlines`` breaks a line at.
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """Escape line breaks of every kind so that stderr gets exactly one line (one regular
    expression pass: testing each character with ``splitlines`` took most of 44 s on 50 MB)."""
    return _LINE_BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), _escape(text))


def _short(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**12:
        return "a huge number"
    try:
        return quote(value)
    except RecursionError:
        return "a deeply nested value"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", str: "a string", int: "a number", float: "a number",
            list: "a list"}.get(type(value), type(value).__name__)
