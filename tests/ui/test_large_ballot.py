"""The large ballot: 1,500 candidates grouped by level and group recommendation, search, bulk marks of
the unmarked, and a confirmation that lists every choice — one model, not 4,500 buttons."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.services.terminals import BallotItem, OpenBallot
from ui.i18n import bridge
from ui.terminal_widgets import CHOICE_COLUMN, LargeBallot, LargeConfirmation, group_key

LEVELS = ("正高", "副高", "中级")
GROUPS = ("recommend", "plenary", "reject")
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "明华国庆文静立群海涛"


def ballot_of(n: int, kind: str = "first") -> OpenBallot:
    """``n`` candidates spread over three levels and three group recommendations, every 97th ineligible."""
    items = tuple(BallotItem(f"C{i:04d}", SURNAMES[i % 10] + GIVEN[(i // 10) % 10] + GIVEN[(i // 100) % 10],
                             "市人民医院", LEVELS[i % 3], "内科", i % 97 != 0,
                             group=GROUPS[(i // 3) % 3], score=60 + (i % 350) / 10)
                  for i in range(1, n + 1))
    return OpenBallot(11, 1, kind, None if kind == "first" else 2, items)


@pytest.fixture(scope="module")
def big() -> OpenBallot:
    return ballot_of(1500)


def click_cell(qtbot, form: LargeBallot, row: int, column: int) -> None:
    index = form.model.index(row, column)
    form.view.scrollTo(index)
    qtbot.mouseClick(form.view.viewport(), Qt.MouseButton.LeftButton, pos=form.view.visualRect(index).center())


def test_1500_candidates_build_fast_grouped_by_level_and_recommendation(qtbot, big) -> None:
    start = time.perf_counter()
    form = LargeBallot(big)
    qtbot.addWidget(form)
    form.resize(1366, 768)
    form.show()
    qtbot.waitExposed(form)
    built = time.perf_counter() - start
    assert built < 1.5, f"building and showing a 1,500-candidate ballot took {built:.2f} s"
    assert len(form.findChildren(QPushButton)) < 10                # no button per candidate
    # all, then 3 levels × 3 recommendations, each level's ineligible candidates last (voted down, marked)
    assert form.groups.count() == 1 + 3 * 4
    assert form.groups.item(1).text().startswith("正高 · 一致同意推荐")
    assert form.groups.item(4).text().startswith("正高 · 资格复审不合格")
    first = form.current_group()
    assert first == ("正高", "recommend")
    listed = [form.model.item(r) for r in range(form.model.rowCount())]
    assert listed and all((c.level, c.group) == first and c.eligible for c in listed)
    form.show_group(("正高", "ineligible"))
    ineligible = [form.model.item(r) for r in range(form.model.rowCount())]
    assert ineligible and not any(c.eligible for c in ineligible) and len(ineligible) == sum(
        1 for c in big.candidates if c.level == "正高" and not c.eligible)
    assert form.model.index(0, 3).data() == "资格复审不合格"          # in the group opinion's column too
    form.show_group(first)
    # the group's recommendation and the score stand beside each name
    assert form.model.index(0, 3).data() == "一致同意推荐"
    assert form.model.index(0, 4).data() == f"{listed[0].score:.2f}"
    form.show_group(None)
    assert form.model.rowCount() == 1500 and "已标记0人，共1500人" in form.marked.text()


def test_bulk_marks_only_the_unmarked_listed_and_the_confirmation_lists_every_choice(qtbot, big) -> None:
    form = LargeBallot(big)
    qtbot.addWidget(form)
    form.resize(1366, 768)
    form.show()
    group = ("副高", "plenary")
    form.show_group(group)
    members = [c.code for c in big.candidates if group_key(c) == group]     # the ineligible are a group apart
    click_cell(qtbot, form, 0, CHOICE_COLUMN + 1)                  # one 反对 by hand
    against = form.model.item(0).code
    assert form.choices() == {against: "no"}
    assert f"{len(members) - 1}" in form.bulk_label.text()           # the label says how many it will mark
    qtbot.mouseClick(form.bulk["yes"], Qt.MouseButton.LeftButton)     # mark all unmarked in this group 赞成
    assert form.choices() == {**{code: "yes" for code in members}, against: "no"}
    assert not form.bulk["yes"].isEnabled()                          # nothing unmarked is left listed
    # other groups untouched; a search finds one candidate across groups, whichever group is chosen
    assert group_key(next(c for c in big.candidates if c.code == "C0007")) != form.current_group() == group
    form.search.setText("C0007")
    assert form.model.rowCount() == 1 and form.model.item(0).code == "C0007"
    assert form.groups.currentRow() == 0 and form.current_group() is None      # the list says: every group
    click_cell(qtbot, form, 0, CHOICE_COLUMN + 2)                   # 弃权
    click_cell(qtbot, form, 0, CHOICE_COLUMN + 2)                   # clicked again: unmarked
    assert "C0007" not in form.choices()
    form.search.setText(big.candidates[0].name)
    assert all(big.candidates[0].name in form.model.item(r).name for r in range(form.model.rowCount()))
    form.search.clear()
    assert form.current_group() == group                            # the search over: back to the group
    form.search.setText("C000")
    form.show_group(group)                                          # a group picked while searching ends the search
    assert form.search.text() == "" and form.current_group() == group
    assert all(group_key(form.model.item(r)) == group for r in range(form.model.rowCount()))

    with qtbot.waitSignal(form.review_requested):
        qtbot.mouseClick(form.next, Qt.MouseButton.LeftButton)
    start = time.perf_counter()
    check = LargeConfirmation(big, form.choices())
    qtbot.addWidget(check)
    check.resize(1366, 768)
    check.show()
    assert time.perf_counter() - start < 1.0
    listed = dict(check.listed())
    assert len(listed) == 1500                                       # every candidate, with its mark
    assert listed[against] == "反对" and all(listed[code] == "赞成" for code in members if code != against)
    assert sum(1 for mark in listed.values() if mark == "弃权（未标记）") == 1500 - len(members)
    assert check.counts.text() == f"赞成 {len(members) - 1} · 反对 1 · 弃权 {1500 - len(members)}"
    check.only.setCurrentIndex(2)                                    # only 反对
    assert check.listed() == [(against, "反对")]
    check.clear()
    assert check.listed() == []


def test_unmark_those_listed_and_language_switch(qtbot, qtmodeltester) -> None:
    ballot = ballot_of(60, kind="runoff")
    form = LargeBallot(ballot)
    qtbot.addWidget(form)
    qtmodeltester.check(form.model)
    form.show_group(None)
    qtbot.mouseClick(form.bulk["no"], Qt.MouseButton.LeftButton)
    assert len(form.choices()) == 60 and set(form.choices().values()) == {"no"}
    form.search.setText("C001")                                     # C0010–C0019
    qtbot.mouseClick(form.unmark, Qt.MouseButton.LeftButton)
    assert len(form.choices()) == 50 and "C0015" not in form.choices()
    assert "再次投票" in form.title.text()
    bridge.set_language("en")
    form.retranslate()                                              # as the window does on the switch
    assert "Runoff ballot, round 1: 2 places" in form.title.text()
    assert form.model.headerData(CHOICE_COLUMN, Qt.Orientation.Horizontal) == "Yes"
    assert form.bulk["abstain"].text() == "Abstain" and "Marked 50 of 60" in form.marked.text()
