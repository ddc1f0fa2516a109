"""The pages that capture the facts the papers print: the interview result told to the candidate (step 4),
the group's leader presenting at the plenary with the group's reason shown (step 6), who presides at
the vote (step 7: offered, stored only when confirmed), the work summary's texts (step 10), the time of
the draw (setup)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime

from app.domain import Step
from tests.sessions import ROUND_PASSPHRASE
from ui import ops
from ui.i18n import bridge

from .conftest import OpenMeeting, round_passphrase, wait_ops


def _page(qtbot, page_type, app, mid, step):  # type: ignore[no-untyped-def]
    page = page_type(app, mid, step)
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_the_interview_page_records_the_result_told_to_the_candidate(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.interview import InterviewPage

    app, mid = meeting_at(Step.PRIMARY_REVIEW)
    page = _page(qtbot, InterviewPage, app, mid, Step.INTERVIEW)
    assert page.result_label.text() == "面试结果" and "告知申报人本人" in page.result.placeholderText()
    page.candidate.setCurrentIndex(page.candidate.findData("C001"))
    page.duration.setTime(QTime(0, 7, 30))
    page.result.setText("回答切题，业绩真实，本人为主要完成人")
    page.told.setChecked(True)
    page.record_interview()
    wait_ops(qtbot)
    row = app.views.interviews(mid)["C001"]
    assert (row.seconds, row.result_told, row.result) == (450, True, "回答切题，业绩真实，本人为主要完成人")
    assert not page.result.text()                              # the form is ready for the next candidate
    shown = next(i for i in page.interviews.rows if i.code == "C001")
    column = [c.header for c in page.interviews.columns].index("Interview result")
    index = page.interviews.index(page.interviews.rows.index(shown), column)
    assert page.interviews.data(index) == "回答切题，业绩真实，本人为主要完成人"
    assert page.interviews.headerData(column, Qt.Orientation.Horizontal) == "面试结果"


def test_the_plenary_offers_the_groups_leader_by_name_and_shows_the_groups_reason(  # type: ignore[no-untyped-def]
        qtbot, meeting_at: OpenMeeting) -> None:
    from ui.pages.plenary import PlenaryPage

    app, mid = meeting_at(Step.GROUP)
    page = _page(qtbot, PlenaryPage, app, mid, Step.PLENARY)
    row = next(r for r in page.model.rows if r.cand.code == "C005")           # a G2 candidate
    page.view.selectRow(page.model.rows.index(row))
    options = [page.presenter.itemText(i) for i in range(page.presenter.count())]
    assert "贾永红（G2组组长）" in options
    column = [c.header for c in page.model.columns].index("Group's reason")
    assert page.model.data(page.model.index(page.model.rows.index(row), column)).startswith("量化评分居中")
    # an office's group named 护理组: its leader is 护理组组长, not 护理组组组长
    import dataclasses

    nursing = dataclasses.replace(row, cand=dataclasses.replace(row.cand, group="护理组"))
    page.leader_of = {**page.leader_of, "护理组": "贾永红"}
    page.model.set_rows([nursing])
    page.view.selectRow(0)
    options = [page.presenter.itemText(i) for i in range(page.presenter.count())]
    assert "贾永红（护理组组长）" in options and not any("组组组长" in o for o in options)
    page.leader_of = {}
    page._selected()
    assert page.presenter.itemText(0) == "护理组组长"


def test_the_ballot_offers_the_chair_to_preside_and_stores_the_choice_when_the_ballot_opens(  # type: ignore[no-untyped-def]
        qtbot, meeting_at: OpenMeeting) -> None:
    from ui.pages.ballot import BallotPage

    app, mid = meeting_at(Step.PLENARY)
    page = _page(qtbot, BallotPage, app, mid, Step.BALLOT)
    offered = [page.presider.itemText(i) for i in range(page.presider.count())]
    assert offered == ["欧阳立群（主任委员）", "司马红梅（副主任委员）"] and page.presider.currentData() == "M01"
    assert page.presider_state.text() == "开始表决时一并记录。" and page.presider_button.isHidden()
    assert app.views.vote_presider(mid) is None                              # offered, not stored
    page.presider.setCurrentIndex(1)                                         # the chair delegated
    page.vote_day.setCurrentIndex(1)
    page.start_round()
    round_passphrase(page)
    wait_ops(qtbot)
    presider = app.views.vote_presider(mid)
    assert presider is not None and presider.code == "M02"
    assert page.presider_state.text() == "已记录：司马红梅（副主任委员）" and page.presider_button.isHidden()
    page.presider.setCurrentIndex(0)                                         # another choice: Record appears
    assert page.presider_button.isEnabled() and not page.presider_button.isHidden()
    page.presider.setCurrentIndex(1)
    bridge.set_language("en")
    assert page.presider_label.text() == "Presiding at the vote (主持表决)"
    assert page.presider_state.text() == "Recorded: 司马红梅 (Vice-chair)"
    page.timer.stop()


def test_a_ballot_opened_without_its_presider_asks_for_it(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.ballot import BallotPage

    app, mid = meeting_at(Step.PLENARY)
    voters = [m.code for m in app.views.members(mid) if m.role == "expert"]
    app.voting.open_first_round("人事科 李文静", mid, voters,
                                passphrase=ROUND_PASSPHRASE)                 # e.g. from an older version
    page = _page(qtbot, BallotPage, app, mid, Step.BALLOT)
    assert "尚未记录" in page.presider_state.text() and page.presider_button.isEnabled()
    page.record_presider()
    wait_ops(qtbot)
    presider = app.views.vote_presider(mid)
    assert presider is not None and presider.code == "M01" and page.presider_state.text().startswith("已记录")
    page.timer.stop()


def test_the_publicity_page_writes_the_work_summary_texts_also_once_the_meeting_is_over(  # type: ignore[no-untyped-def]
        qtbot, meeting_at: OpenMeeting) -> None:
    from ui.pages.publicity import PublicityPage

    app, mid = meeting_at(Step.ARCHIVE)
    page = _page(qtbot, PublicityPage, app, mid, Step.PUBLICITY)
    assert [page.summary_labels[k].text() for k in ("experience", "improvements", "suggestions")] == [
        "典型经验", "改进方向", "意见建议"]
    assert not any(t.toPlainText() for t in page.summary_texts.values()) and not page.summary_button.isEnabled()
    page.summary_texts["experience"].setPlainText("面试试题实名审核，做到可追溯")
    page.summary_texts["suggestions"].setPlainText("扩充护理专业评审专家库")
    assert page.summary_button.isEnabled() and "已填写25字" in page.summary_count.text()
    page.refresh()                                              # a refresh keeps what is being typed
    assert page.summary_texts["experience"].toPlainText() == "面试试题实名审核，做到可追溯"
    heard = len(ops.messages.history)
    page.record_summary()
    wait_ops(qtbot)
    texts = app.views.work_summary(mid)
    assert (texts.experience, texts.improvements, texts.suggestions) == (
        "面试试题实名审核，做到可追溯", "", "扩充护理专业评审专家库")
    assert not page.summary_button.isEnabled() and not [m for m in ops.messages.history[heard:] if m[0] == "error"]

    done, mid = meeting_at(Step.PUBLICITY)                      # finished: the step is locked, the box is not
    page = _page(qtbot, PublicityPage, done, mid, Step.PUBLICITY)
    assert page.locked() and page.summary_box.isEnabled()
    assert page.summary_texts["experience"].toPlainText().startswith("坚持报到地点与评审地点分开")
    assert page.summary_texts["improvements"].isEnabled()
    page.summary_texts["improvements"].setPlainText("提前公布申报材料清单")
    page.record_summary()
    wait_ops(qtbot)
    assert done.views.work_summary(mid).improvements == "提前公布申报材料清单"


def test_the_draw_tab_and_its_history_show_the_time_of_each_draw(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.setup import SetupPage

    app, mid = meeting_at(0)  # type: ignore[arg-type]     # the demo meeting set up, step 1 not begun
    record = app.views.draw_record(mid)
    assert record is not None
    app.setup.redraw("人事科 李文静", mid, reason="一名评委因病不能参加", witness=record.witness,
                     needs=record.needs, alternates=1)
    page = SetupPage(app, mid, None)
    qtbot.addWidget(page)
    page.refresh()
    draw = page.draw_tab
    now = app.views.draw_record(mid)
    assert now is not None and now.drawn_local is not None
    assert f"{now.drawn_local:%Y-%m-%d %H:%M}（北京时间）" in draw.facts.text()
    history = draw.history.model
    column = [c.header for c in history.columns].index("Drawn at")
    assert history.data(history.index(0, column)) == "2026-11-19 09:30"            # the demo's first draw
    bridge.set_language("en")
    assert f"{now.drawn_local:%Y-%m-%d %H:%M} (Beijing time, UTC+8)" in draw.facts.text()


def test_the_publicity_page_records_the_filing_reports_number_and_date_also_once_the_meeting_is_over(  # type: ignore[no-untyped-def]
        qtbot, meeting_at: OpenMeeting) -> None:
    """The 发文字号 and 成文日期 the filing report prints are captured on step 10, the finished step too."""
    import datetime as dt

    from PySide6.QtCore import QDate

    from ui.pages.publicity import PublicityPage

    done, mid = meeting_at(Step.PUBLICITY)
    page = _page(qtbot, PublicityPage, done, mid, Step.PUBLICITY)
    assert page.locked() and page.filing_box.isEnabled() and page.filing_box.title() == "备案报告：发文字号和成文日期"
    assert page.filing_number.text() == "州卫职改〔2026〕21号" and page.filing_dated.isChecked()
    assert page.filing_date.date() == QDate(2026, 12, 1)
    page.filing_number.setText("州卫职改〔2026〕23号")
    page.filing_date.setDate(QDate(2026, 12, 2))
    page.refresh()                                              # a refresh keeps what is being typed
    assert page.filing_number.text() == "州卫职改〔2026〕23号"
    page.record_filing()
    wait_ops(qtbot)
    stored = done.views.filing_report(mid)
    assert (stored.number, stored.date) == ("州卫职改〔2026〕23号", dt.date(2026, 12, 2))
