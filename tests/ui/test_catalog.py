"""Every interface string passed to ``tr()`` has its Chinese: the product's first language."""

from __future__ import annotations

import ast
from pathlib import Path

from ui.catalog import ZH

UI = Path(__file__).resolve().parents[2] / "ui"


def _tr_literals() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(f"{path.relative_to(UI)}:{node.lineno}")
    return found


def test_every_tr_literal_has_chinese() -> None:
    literals = _tr_literals()
    assert len(literals) > 50, "the scan found almost no strings: is it still reading ui/?"
    missing = {text: places[0] for text, places in literals.items() if not ZH.get(text, "").strip()}
    assert not missing, f"{len(missing)} strings without Chinese, e.g. {list(missing.items())[:8]}"


def test_format_fields_survive_translation() -> None:
    import string

    for english, chinese in ZH.items():
        fields_en = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        fields_zh = {f for _, f, _, _ in string.Formatter().parse(chinese) if f}
        assert fields_en == fields_zh, f"{english!r} → {chinese!r}: placeholders differ"


def test_a_counted_english_noun_agrees_with_its_count() -> None:
    # "1 place(s)" read as a form nobody finished: one place, two places; Chinese has no plural to mind
    from ui.i18n import bridge, tr

    runoff, bulk = "Runoff among {names} for {places} place(s)", "Mark the {n} unmarked candidate(s) listed here as:"
    bridge.set_language("en")
    try:
        assert tr(runoff, names="A, B", places=1) == "Runoff among A, B for 1 place"
        assert tr(runoff, names="A, B", places=2) == "Runoff among A, B for 2 places"
        assert tr(bulk, n=1) == "Mark the 1 unmarked candidate listed here as:"
        assert tr("{n} terminal(s) paired, {c} connected now.", n=3, c=1) == "3 terminals paired, 1 connected now."
    finally:
        bridge.set_language("zh")
    assert "(s)" not in tr(runoff, names="甲、乙", places=1) and "1" in tr(runoff, names="甲、乙", places=1)
