"""The facts the papers print, through the window offscreen: the start dialog creates a meeting with
the committee's 组建单位, 办事机构 and HR department, the plan's filing number, publicity venue,
objection contact and telephone, staff units and two meeting days with hours; the setup's plan tab
shows them, its correction dialogs change them, the staff form takes units."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from sqlalchemy import select

from app.services import Conclave
from app.storage.schema import audit_event
from app.views.meeting import MeetingDayView

from .conftest import OpenMeeting, wait_ops
from .test_setup_corrections import SET_UP, setup_page

D = dt.date


def _required(dialog) -> None:  # type: ignore[no-untyped-def]
    for edit, text in ((dialog.name, "某市卫生系列中级职称评审委员会"), (dialog.field, "卫生系列"),
                       (dialog.filing_number, "湘人社函〔2024〕118号"), (dialog.title_edit, "2026年度评审"),
                       (dialog.place, "第三会议室"), (dialog.secretary, "李文静"), (dialog.supervisor, "周正"),
                       (dialog.rubric_name, "工作业绩")):
        edit.setText(text)
    dialog._add(dialog.rubric, dialog.rubric_name, dialog.rubric_max)
    dialog.filing_date.setDate(QDate(2024, 6, 1))
    dialog.plan_filed.setDate(QDate(2026, 11, 2))
    dialog.meeting_date.setDate(QDate(2026, 11, 20))


def test_the_start_dialog_creates_a_meeting_with_every_fact(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.start import StartDialog

    with Conclave(tmp_path / "new.sqlite3") as app:
        dialog = StartDialog(app, today=D(2026, 10, 20))
        qtbot.addWidget(dialog)
        dialog.show()
        _required(dialog)
        assert dialog.create_button.isEnabled()          # the facts are not required: their absence is listed
        note = dialog.problems.text()
        assert note.startswith("尚未填写（文书中将留空，待手工填写）") and "组建单位" in note and "会议起止时间" in note
        assert dialog.days.days() == []                 # hours left empty: not recorded, never pre-filled
        facts = dialog.committee_facts
        facts.organizer.setText("湘西自治州人力资源和社会保障局")
        facts.office.setText("湘西自治州卫生健康委员会职称改革工作办公室")
        facts.hr_department.setText("湘西自治州人力资源和社会保障局")
        pub = dialog.publicity
        pub.filing_number.setText("州人社职备〔2026〕15号")
        pub.where.setText("湘西自治州卫生健康委员会门户网站")
        pub.contact.setText("州卫健委职改办")
        pub.phone.setText("电话待定")
        dialog.secretary_unit.setText("湘西自治州卫生健康委员会职称改革工作办公室")
        dialog.supervisor_unit.setText("州纪委监委派驻纪检监察组")
        first = dialog.days.rows[0]
        assert not first.date.isEnabled() and first.value()[0] == D(2026, 11, 20)   # follows the meeting date
        first.starts.setText("8:00")
        first.ends.setText("18:30")
        dialog.days.add_day()
        second = dialog.days.rows[1]
        assert second.value()[0] == D(2026, 11, 21)
        second.starts.setText("08:30")
        second.ends.setText("12:00")
        dialog.meeting_date.setDate(QDate(2026, 11, 23))          # the meeting moves: its days move with it
        assert [r.value()[0] for r in dialog.days.rows] == [D(2026, 11, 23), D(2026, 11, 24)]
        dialog.meeting_date.setDate(QDate(2026, 11, 20))
        dialog.quota_key.setText("吉首市人民医院／主治医师")     # a quota typed as the roster writes it
        dialog.quota_places.setValue(2)
        dialog.quota_key.returnPressed.emit()
        assert dialog.problems.text() == ""              # every fact entered
        dialog.create_meeting()
        wait_ops(qtbot)
        assert dialog.isVisible() and "不是有效的电话号码" in dialog.problems.text()
        assert app.views.meetings() == []                 # refused: nothing stored
        pub.phone.setText("0743-8221517")
        dialog.create_meeting()
        wait_ops(qtbot)
        assert not dialog.isVisible() and dialog.meeting_id is not None
        p = app.views.plan(dialog.meeting_id)
        assert (p.organizer, p.office, p.hr_department) == (facts.organizer.text(), facts.office.text(),
                                                            "湘西自治州人力资源和社会保障局")
        assert (p.plan_filing_number, p.publicity_where, p.objection_contact, p.objection_phone) == (
            "州人社职备〔2026〕15号", "湘西自治州卫生健康委员会门户网站", "州卫健委职改办", "0743-8221517")
        assert (p.secretary, p.secretary_unit, p.supervisor, p.supervisor_unit) == (
            "李文静", "湘西自治州卫生健康委员会职称改革工作办公室", "周正", "州纪委监委派驻纪检监察组")
        assert p.days == (MeetingDayView(D(2026, 11, 20), "08:00", "18:30"),
                          MeetingDayView(D(2026, 11, 21), "08:30", "12:00"))
        assert p.quotas == {"吉首市人民医院／主治医师": 2}       # bound to its unit and post (X§10(七))
        assert p.quota_bindings == {"吉首市人民医院／主治医师": ("吉首市人民医院", "主治医师")}
        with app.store.read() as conn:
            actions = conn.execute(select(audit_event.c.action)).scalars().all()
        assert actions == ["meeting.open"]


def test_the_plan_tab_shows_the_facts_and_its_dialogs_correct_them(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    tab = page.plan_tab
    assert tab.values["office"].text() == "湘西自治州卫生健康委员会职称改革工作办公室"
    assert tab.values["days"].text() == "2026-11-20 08:00–18:30；2026-11-21 08:30–12:00"
    assert tab.values["objections"].text() == "湘西自治州卫生健康委员会职称改革工作办公室，0743-8221517"
    tab.ask_edit()
    dialog = tab.dialog
    assert dialog is not None and dialog.publicity.phone.text() == "0743-8221517" and len(dialog.days.rows) == 2
    dialog.days.remove_day(dialog.days.rows[1])
    dialog.days.rows[0].ends.setText("17:30")
    dialog.publicity.where.setText("州人社局门户网站")
    dialog.reason.setPlainText("按备案方案更正会议时间和公示地点")
    dialog.submit()
    wait_ops(qtbot)
    assert not dialog.isVisible()
    plan = app.views.plan(mid)
    assert plan.days == (MeetingDayView(D(2026, 11, 20), "08:00", "17:30"),)
    assert plan.publicity_where == "州人社局门户网站"
    assert tab.values["days"].text() == "2026-11-20 08:00–17:30"

    tab.ask_committee()
    committee = tab.committee_dialog
    assert committee is not None and committee.facts.organizer.text() == "湘西自治州卫生健康委员会"
    committee.facts.office.setText("")
    committee.reason.setPlainText("办事机构名称待核实")
    committee.submit()
    wait_ops(qtbot)
    assert not committee.isVisible() and app.views.plan(mid).office == ""
    assert tab.values["office"].text() == "未填写——文书中留空待填"

    tab.supervisor_unit.setText("州纪委监委第三纪检监察室")
    assert tab.save.isEnabled()
    tab.save_staff()
    wait_ops(qtbot)
    assert app.views.plan(mid).supervisor_unit == "州纪委监委第三纪检监察室"


def test_enter_in_a_list_editor_adds_the_row_and_never_creates_the_meeting(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                           meeting_at: OpenMeeting) -> None:
    """Found trying the office's meeting in the window: typing the second rubric item and pressing
    Enter created the meeting at once (the dialog's default button), with one rubric item, no
    quotas, no hours. Enter in a list's name field adds the row and stays there."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.start import StartDialog

    with Conclave(tmp_path / "new.sqlite3") as app:
        dialog = StartDialog(app, today=D(2026, 10, 20))
        qtbot.addWidget(dialog)
        dialog.show()
        _required(dialog)                                 # complete: Create is enabled
        for edit, text in ((dialog.rubric_name, "面试答辩"), (dialog.quota_key, "吉首市人民医院/主治医师")):
            edit.setText(text)
            edit.setFocus()
            QTest.keyClick(edit, Qt.Key.Key_Return)
            wait_ops(qtbot)
            assert dialog.isVisible() and app.views.meetings() == []
        assert [r[0] for r in dialog.rubric.rows] == ["工作业绩", "面试答辩"]
        assert dialog.quotas.rows == [("吉首市人民医院/主治医师", 1)]

    app, mid = meeting_at(SET_UP)
    page = setup_page(qtbot, app, mid)
    page.plan_tab.ask_edit()
    plan_dialog = page.plan_tab.dialog
    assert plan_dialog is not None
    plan_dialog.reason.setPlainText("按备案方案补充评分项目")
    rubric = plan_dialog.rubric
    rubric.name.setText("继续教育")
    rubric.name.setFocus()
    QTest.keyClick(rubric.name, Qt.Key.Key_Return)
    wait_ops(qtbot)
    assert plan_dialog.isVisible() and "继续教育" in [r[0] for r in rubric.rows()]
    plan_dialog.close()
