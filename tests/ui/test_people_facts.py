"""The facts of the candidates and the pool experts in the window (issue 8): the eligibility page
shows what the re-check looks at, the setup's forms show and correct them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from sqlalchemy import update

from app.domain import Step
from app.services.setup import CandidateInput
from app.storage.schema import candidate
from ui.main_window import MainWindow
from ui.pages.facts import MISSING, NOTICE

from .conftest import OpenMeeting, wait_ops
from .test_setup_corrections import SET_UP, select, setup_page


def _cell(page, code: str, header: str, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    model = page.model
    row = [c.code for c in model.rows].index(code)
    column = [c.header for c in model.columns].index(header)
    return model.index(row, column).data(role)


def _colour(page, code: str, header: str) -> str | None:  # type: ignore[no-untyped-def]
    brush = _cell(page, code, header, Qt.ItemDataRole.ForegroundRole)
    return brush.color().name() if isinstance(brush, QBrush) else None


def test_the_eligibility_page_shows_the_facts_the_re_check_looks_at(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(Step.PREPARATORY)
    with app.store.engine.begin() as conn:     # a candidate from an old roster: no facts captured
        conn.execute(update(candidate).where(candidate.c.code == "C020").values(
            applied_title=None, education=None, current_title=None, current_title_date=None, years_in_post=None,
            exceptional=None))
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    page = window.wizard.currentPage()
    assert page.step == Step.ELIGIBILITY
    facts = ("Applied title", "Education", "Current title (since)", "In post", "Exceptional")
    assert [_cell(page, "C012", h) for h in facts] == [
        "主管护师", "大学本科", "护师（2023-07-01）", "3年", "是（破格）"]
    assert _colour(page, "C012", "Exceptional") == NOTICE                 # 破格 stands out
    assert _cell(page, "C001", "Exceptional") == "否" and _colour(page, "C001", "Exceptional") is None
    assert [_cell(page, "C020", h) for h in ("Applied title", "Current title (since)", "Exceptional")] == [
        "未填写"] * 3
    assert _colour(page, "C020", "Applied title") == MISSING
    assert "选中一名申报人" in page.facts.text()
    page.view.selectRow([c.code for c in page.model.rows].index("C012"))
    assert page.facts.text() == ("C012 贾丽华 申报主管护师（中级，护理）；学历：大学本科；现职称：护师（2023-07-01）；"
                                 "任职年限：3年；破格申报。")
    page.view.selectRow([c.code for c in page.model.rows].index("C020"))
    assert "申报未填写" in page.facts.text() and "是否破格申报：未填写" in page.facts.text()


def test_the_candidate_form_shows_and_corrects_the_facts(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.candidates_tab
    select(tab.view, {"C012"})
    tab.buttons.ask_edit()
    dialog = tab.buttons.dialog
    before = next(c for c in app.views.candidates(mid) if c.code == "C012")
    assert dialog.value() == CandidateInput.of(before)                   # the form holds every fact as stored
    dialog.reason.setPlainText("按申报材料更正取得时间")
    dialog.title_date.setText("2023-07")
    assert not dialog.ok.isEnabled()                                     # not a day
    dialog.title_date.setText("2022-07-01")
    dialog.years.setValue(4)
    dialog.exceptional.setCurrentIndex(dialog.exceptional.findData(False))
    assert dialog.ok.isEnabled()
    dialog.submit()
    wait_ops(qtbot)
    assert not dialog.isVisible()
    after = next(c for c in app.views.candidates(mid) if c.code == "C012")
    assert after == dataclasses.replace(before, current_title_date=dt.date(2022, 7, 1), years_in_post=4,
                                        exceptional=False)


def test_the_candidate_form_needs_the_applied_title_and_shows_the_quota_refusal(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.candidates_tab
    select(tab.view, {"C030"})                                   # a nurse carrying 市人民医院/主管护师
    tab.buttons.ask_edit()
    dialog = tab.buttons.dialog
    dialog.reason.setPlainText("更正")
    dialog.applied_title.setText("")
    assert not dialog.ok.isEnabled()
    dialog.applied_title.setText("主治医师")
    dialog.submit()
    wait_ops(qtbot)
    assert dialog.isVisible() and "[candidate.quota_post]" in dialog.problems.text()
    assert "不得跨专业使用评审职数" in dialog.problems.text()
    dialog.reject()


def test_the_pool_form_shows_and_clears_phone_and_category(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.pool_tab
    column = [c.header for c in tab.model.columns].index("Category")
    row = [e.code for e in tab.model.rows].index("P014")
    assert tab.model.index(row, column).data() == "全国知名专家"
    select(tab.view, {"P014"})
    tab.buttons.ask_edit()
    dialog = tab.buttons.dialog
    assert (dialog.phone.text(), dialog.category.currentData()) == ("13907400014", "全国知名专家")
    dialog.category.setCurrentIndex(0)                            # not given
    dialog.phone.setText("0743-8223456")
    dialog.reason.setPlainText("类别待核实，电话更正")
    dialog.submit()
    wait_ops(qtbot)
    assert not dialog.isVisible()
    p014 = next(e for e in app.views.pool(mid) if e.code == "P014")
    assert (p014.phone, p014.category) == ("0743-8223456", None)
    assert tab.model.index(row, column).data() == "未填写"
