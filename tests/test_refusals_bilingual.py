"""Every refusal of the engine carries its Chinese: a static check of app/.

Each ``fail(rule, message)``, ``RuleViolation.single(rule, message)`` and
``Violation(rule, message)`` in app/ whose message is written out as a plain string — a
literal, an f-string, a ``+``/``%``/``.format``/``.join`` of them, ``str(...)`` — is
flagged: a plain ``str`` has no ``.zh``, so the Chinese interface would show it in
English. The message must be ``bi(english, chinese)``, and the Chinese of a written-out
``bi`` must hold Chinese. Messages passed in a variable are left to the run-time watch
(``tests/refusals.py``, applied to every test by ``tests/conftest.py``). The only
English-only sites are the wire texts of the record and draw files, :data:`WIRE`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import pytest

from app.errors import RuleViolation, Violation
from app.text import bi
from tests.refusals import CJK, ROOT, WIRE, has_chinese, is_wire

_BILINGUAL = {"bi", "Bilingual", "join"}   # app.text's constructors of a Bilingual


@dataclass(frozen=True)
class Site:
    path: str
    line: int
    function: str | None
    call: str
    problem: str | None     # None: bilingual, or decided at run time
    computed: bool = False  # the message is computed: the run-time watch decides

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.call}(…): {self.problem}"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name) and func.id in ("fail", "Violation"):
        return func.id
    if (isinstance(func, ast.Attribute) and func.attr == "single" and isinstance(func.value, ast.Name)
            and func.value.id == "RuleViolation"):
        return "RuleViolation.single"
    return None


def _plain(node: ast.expr) -> bool:
    """A message written out as a plain ``str``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain(node.left) or _plain(node.right)
    if isinstance(node, ast.Call):
        f = node.func
        return (isinstance(f, ast.Name) and f.id == "str") or (
            isinstance(f, ast.Attribute) and f.attr in ("format", "join") and _plain(f.value))
    return False


def _written_chinese(node: ast.expr) -> bool | None:
    """Whether a written-out Chinese text holds Chinese; None when it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(CJK.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and CJK.search(str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp):
        sides = [_written_chinese(node.left), _written_chinese(node.right)]
        return None if all(s is None for s in sides) else any(bool(s) for s in sides)
    return None


def problem_of(message: ast.expr | None) -> str | None:
    if message is None:
        return None       # Violation(**fields): the run-time watch sees it
    if isinstance(message, ast.Call) and isinstance(message.func, ast.Name) and message.func.id in _BILINGUAL:
        if message.func.id == "bi" and len(message.args) >= 2 and _written_chinese(message.args[1]) is False:
            return f"the Chinese of bi() holds no Chinese: {ast.unparse(message.args[1])[:80]}"
        return None
    if _plain(message):
        return f"English only: {ast.unparse(message)[:100]}"
    return None


def sites(source: str, path: str) -> list[Site]:
    """Every refusal site of one module, with what is wrong with its message (None: nothing)."""
    found: list[Site] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call) and (call := _name(child.func)) is not None:
                message = child.args[1] if len(child.args) > 1 else next(
                    (k.value for k in child.keywords if k.arg == "message"), None)
                computed = message is None or not (_plain(message) or (
                    isinstance(message, ast.Call) and isinstance(message.func, ast.Name)
                    and message.func.id in _BILINGUAL))
                found.append(Site(path, child.lineno, function, call, problem_of(message), computed))
            visit(child, inner)

    visit(ast.parse(source), None)
    return found


def all_sites() -> list[Site]:
    out: list[Site] = []
    for file in sorted((ROOT / "app").rglob("*.py")):
        path = file.relative_to(ROOT).as_posix()
        out += sites(file.read_text(encoding="utf-8"), path)
    return out


# -- the check of app/ -------------------------------------------------------------------------

def test_every_refusal_in_app_is_written_in_both_languages() -> None:
    found = all_sites()
    assert len(found) > 200          # the scan sees the engine's refusals (about 230 sites)
    bad = [s for s in found if s.problem and not is_wire(s.path, s.function)]
    assert not bad, "refusals without their Chinese; write them bi(english, chinese):\n" + "\n".join(map(str, bad))


def test_the_wire_allow_list_holds_only_what_it_needs() -> None:
    """Every entry of WIRE still covers an English-only or computed message, so that the list
    cannot grow stale (and, by the test above, nothing outside it is English only)."""
    open_sites = [s for s in all_sites() if s.problem or s.computed]
    used = {(s.path, s.function) for s in open_sites} | {(s.path, None) for s in open_sites}
    assert set(WIRE) <= used, set(WIRE) - used
    assert all(path.startswith(("app/record/", "app/formats.py", "app/rules/calendar.py")) for path, _ in WIRE)


# -- the checker itself ------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "flagged"), [
    ('fail("x.y", "no candidate")', True),
    ('fail("x.y", f"no candidate {code}")', True),
    ('RuleViolation.single("x.y", "a " + name)', True),
    ('Violation("x.y", "{} is wrong".format(v))', True),
    ('Violation("x.y", str(exc))', True),
    ('Violation("x.y", message="the supervisor (纪检监察) must be named")', True),   # Chinese inside English
    ('fail("x.y", bi("no candidate", "no candidate"))', True),                      # a "Chinese" in English
    ('fail("x.y", bi(f"no candidate {c}", f"{c}"))', True),
    ('fail("x.y", bi("no candidate", "没有申报人"))', False),
    ('fail("x.y", bi(f"no candidate {c}", f"没有申报人{c}"))', False),
    ('Violation("x.y", bi(en, zh), row=3, field="level")', False),
    ('Violation("x.y", problem)', False),                                           # left to the run-time watch
])
def test_the_checker_flags_english_only_messages(code: str, flagged: bool) -> None:
    (site,) = sites(code, "app/example.py")
    assert bool(site.problem) == flagged, site


def test_a_wire_site_is_allowed_only_where_listed() -> None:
    code = "def load_calendar_file(path):\n    raise RuleViolation.single('format.value', 'no calendar')\n"
    (site,) = sites(code, "app/rules/calendar.py")
    assert site.problem and is_wire(site.path, site.function)
    (elsewhere,) = sites(code.replace("load_calendar_file", "publicity_dates"), "app/rules/calendar.py")
    assert elsewhere.problem and not is_wire(elsewhere.path, elsewhere.function)


def test_a_violation_knows_its_languages_and_keeps_its_wire_form() -> None:
    v = Violation("pool.title", bi("P1: 副高 for 2 years (X§6)", "P1：任副高2年"), row=4, field="title", ref="X§6")
    assert has_chinese(v) and v.text("zh") == "P1：任副高2年" and v.text("en") == v.en == "P1: 副高 for 2 years (X§6)"
    assert v.as_json() == {"rule": "pool.title", "message": "P1: 副高 for 2 years (X§6)"}
    assert type(v.as_json()["message"]) is str and v.details == "pool.title · X§6"
    plain = Violation("format.value", "ballots[2]: C9 is not a candidate")
    assert not has_chinese(plain) and plain.zh is None and plain.text("zh") == plain.en
    assert plain.details == "format.value"
    assert str(RuleViolation([v, plain])) == "[pool.title] P1: 副高 for 2 years (X§6) (+1 more)"
    assert Violation(**plain.as_json()) == plain
