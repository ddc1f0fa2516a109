"""The working-day calendar in the window: the dialog (typed periods, make-up days, a file), and the
ways to it from every screen a missing year stops — the message bar, the start dialog, step 10,
step 9 and the documents window. Real widgets, offscreen; real databases."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from app.domain import Step
from app.errors import RuleViolation
from app.rules.calendar_years import unknown_year_violation
from app.sealing.keys import DEMO_PASSPHRASE
from app.services import Conclave
from tests.calendar.moved import MovedDemos
from tests.calendar.year2027 import HOLIDAYS_2027, WORKDAYS_2027, holidays_2027, write_2027
from ui import ops
from ui.calendar_dialog import CalendarDialog
from ui.catalog import ZH
from ui.documents import DocumentsDialog
from ui.i18n import bridge
from ui.main_window import MainWindow

from .conftest import wait_ops

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
SECRETARY = "人事科 李文静"


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> MovedDemos:
    return MovedDemos(tmp_path_factory)


@pytest.fixture
def december(moved: MovedDemos, tmp_path: Path) -> Iterator[object]:
    """``december(vote, until)`` → services on a copy of the demo meeting voting on ``vote``, 2027 unknown."""
    with moved.opening(tmp_path) as make:
        yield make


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _q(d: D) -> QDate:
    return QDate(d.year, d.month, d.day)


def _dialog(qtbot, app: Conclave, year: int | None = 2027) -> CalendarDialog:  # type: ignore[no-untyped-def]
    dialog = CalendarDialog(app, year, actor=SECRETARY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_typing_2027_from_the_notice_stores_it(qtbot, qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Conclave(tmp_path / "m.sqlite3") as app:
        dialog = _dialog(qtbot, app)
        assert dialog.year.value() == 2027 and "尚未录入" in dialog.source.text()
        assert not dialog.save_button.isEnabled()              # nothing typed yet
        for first, last in HOLIDAYS_2027:
            dialog.first.setDate(_q(first))
            dialog.last.setDate(_q(last))
            _click(qtbot, dialog.add_holiday)
        for day in WORKDAYS_2027:
            dialog.make_up.setDate(_q(day))
            _click(qtbot, dialog.add_workday)
        assert [r for r in dialog.holiday_model.rows] == list(HOLIDAYS_2027)
        assert "全年工作日248天" in dialog.summary.text() and "尚未保存" in dialog.source.text()
        qtmodeltester.check(dialog.holiday_model)
        with qtbot.waitSignal(dialog.stored, timeout=10_000) as saved:
            _click(qtbot, dialog.save_button)
        assert saved.args == [2027]
        wait_ops(qtbot)
        stored = app.views.stored_year(2027)
        assert stored is not None and (stored.source, stored.entered_by) == ("typed", SECRETARY)
        assert set(stored.holidays) == set(holidays_2027()) and stored.workdays == WORKDAYS_2027
        assert app.calendar.source(2027) == "stored" and "已保存在本会议数据库" in dialog.source.text()
        assert "2027" in dialog.stored_years.text() and "已保存" in dialog.problem.text()
        dialog.close()


def test_a_make_up_day_on_a_weekday_is_refused_at_once(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Conclave(tmp_path / "m.sqlite3") as app:
        dialog = _dialog(qtbot, app)
        dialog.make_up.setDate(QDate(2027, 2, 8))                # a Monday
        _click(qtbot, dialog.add_workday)
        assert dialog.workday_model.rows == [] and "星期一" in dialog.problem.text()
        assert "调休上班日" in dialog.problem.text() and dialog.problem.isVisible()
        bridge.set_language("en")                               # the refusal follows the language
        assert "Monday" in dialog.problem.text() and dialog.windowTitle() == "Working-day calendar"
        dialog.first.setDate(QDate(2027, 2, 5))
        dialog.last.setDate(QDate(2027, 2, 13))
        _click(qtbot, dialog.add_holiday)
        dialog.make_up.setDate(QDate(2027, 2, 6))                # a Saturday inside the holiday
        _click(qtbot, dialog.add_workday)
        assert dialog.workday_model.rows == [] and "is a holiday" in dialog.problem.text()
        dialog.holiday_view.selectRow(0)
        _click(qtbot, dialog.remove_holiday)
        assert dialog.holiday_model.rows == []
        assert app.views.calendar_years() == ()                   # nothing stored by any of it
        dialog.close()


def test_a_calendar_file_is_loaded_and_stored(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Conclave(tmp_path / "m.sqlite3") as app:
        dialog = _dialog(qtbot, app, None)
        assert dialog.year.value() == 2027                      # the first year after the bundled data
        bad = tmp_path / "bad.json"
        bad.write_text('{"format": "conclave-calendar/1", "years": {"2027": {"holidays": []}}}', encoding="utf-8")
        dialog.load_file(bad)
        wait_ops(qtbot)
        assert "workdays" in dialog.problem.text() and app.views.calendar_years() == ()
        dialog.load_file(write_2027(tmp_path / "2027.json"))
        wait_ops(qtbot)
        stored = app.views.stored_year(2027)
        assert stored is not None and (stored.source, stored.file_name) == ("file", "2027.json")
        assert "导入自文件 2027.json" in dialog.source.text() and len(dialog.holiday_model.rows) == 7
        dialog.year.setValue(2026)
        assert "内置日历" in dialog.source.text() and len(dialog.workday_model.rows) == 6
        dialog.close()


def test_step_10_names_the_missing_year_and_offers_the_calendar(qtbot, december, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = december(D(2026, 12, 10), Step.ARCHIVE)
    window = MainWindow(app, 1)
    qtbot.addWidget(window)
    window.show()
    page = window.wizard.currentPage()
    assert page.step == Step.PUBLICITY
    assert page.values["start"].text().startswith("2026-12-11") and page.values["end"].text().startswith("2026-12-17")
    assert page.values["filing"].text() == "无法计算：尚未录入2027年节假日"
    assert "在日历中录入2027年节假日" in page.problem.text()
    assert page.pick.isVisible() and page.pick.date() == QDate(2026, 12, 11)       # never 2000-01-01
    assert page.calendar_button.isVisible() and page.calendar_button.text() == "录入2027年节假日…"
    _click(qtbot, page.set_button)                       # publicity starts on time all the same
    wait_ops(qtbot)
    assert app.views.meeting(1).publicity_start == D(2026, 12, 11) and not page.isComplete()
    assert any("2027" in m for m in page.missing())
    _click(qtbot, page.calendar_button)
    dialog = page.calendar_button.dialog
    assert isinstance(dialog, CalendarDialog) and dialog.year.value() == 2027 and dialog.isVisible()
    dialog.load_file(write_2027(tmp_path / "2027.json"))
    wait_ops(qtbot)
    assert page.values["filing"].text().startswith("2027-01-08") and not page.calendar_button.isVisible()
    assert page.isComplete() and page.problem.text() == ""
    dialog.close()
    window.close()


def test_a_publicity_running_into_2027_offers_no_picker(qtbot, december, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = december(D(2026, 12, 29), Step.SIGNING)
    app.documents.archive(SECRETARY, 1, tmp_path / "archive", documents=False)
    app.procedure.complete(SECRETARY, 1, Step.ARCHIVE)
    window = MainWindow(app, 1)
    qtbot.addWidget(window)
    window.show()
    page = window.wizard.currentPage()
    assert page.step == Step.PUBLICITY and page.problem.isVisible()
    assert page.pick.isHidden() and page.set_button.isHidden() and page.calendar_button.isVisible()
    assert all(page.values[k].text() == "无法计算：尚未录入2027年节假日" for k in ("start", "end", "filing"))
    assert page.calendar_button.text() == "录入2027年节假日…"
    window.close()


def test_a_refusal_for_a_missing_year_offers_the_calendar_in_the_message_bar(qtbot, december,  # type: ignore[no-untyped-def]
                                                                          tmp_path: Path) -> None:
    app = december(D(2026, 12, 10), Step.ARCHIVE)
    window = MainWindow(app, 1)
    qtbot.addWidget(window)
    window.show()
    button = window.calendar_button
    assert not button.isVisible()
    ops.messages.post("refused", "x", "another refusal")
    assert not button.isVisible()
    ops.messages.refusal(RuleViolation(unknown_year_violation(2027, app.path)))
    assert window.message_bar.isVisible() and button.isVisible() and button.text() == "录入2027年节假日…"
    _click(qtbot, button)
    dialog = button.dialog
    assert isinstance(dialog, CalendarDialog) and dialog.year.value() == 2027
    assert dialog.actor.text() == app.views.meeting(1).secretary == "李文静"     # the demo's secretary
    dialog.load_file(write_2027(tmp_path / "2027.json"))
    wait_ops(qtbot)
    page = window.wizard.currentPage()                   # the step on screen counts its dates again
    assert page.step == Step.PUBLICITY and page.values["filing"].text().startswith("2027-01-08")
    assert not button.isVisible()
    dialog.close()
    ops.messages.refusal(RuleViolation(unknown_year_violation(2028, app.path)))
    assert button.isVisible() and button.text() == "录入2028年节假日…"
    ops.messages.post("info", "x", "y")                  # the next message withdraws the offer
    assert not button.isVisible()
    window.close()


def test_the_start_dialog_reaches_the_calendar_and_offers_it_on_a_refusal(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.start import StartDialog

    with Conclave(tmp_path / "new.sqlite3") as app:
        dialog = StartDialog(app, today=D(2026, 11, 30))
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.calendar_button.isVisible() and dialog.calendar_button.text() == "工作日历…"
        for edit, value in ((dialog.name, "某市卫生系列中级职称评审委员会"), (dialog.field, "卫生系列"),
                            (dialog.filing_number, "湘人社函〔2025〕1号"), (dialog.title_edit, "2027年度评审"),
                            (dialog.place, "第三会议室"), (dialog.secretary, SECRETARY),
                            (dialog.supervisor, "纪检监察组 周强")):
            edit.setText(value)
        dialog.filing_date.setDate(QDate(2025, 6, 1))
        dialog.plan_filed.setDate(QDate(2026, 12, 28))
        dialog.meeting_date.setDate(QDate(2027, 1, 12))
        dialog.rubric_name.setText("工作业绩")
        dialog._add(dialog.rubric, dialog.rubric_name, dialog.rubric_max)
        dialog.create_meeting()
        wait_ops(qtbot)
        assert "calendar.unknown_year" in dialog.problems.text() and "2027" in dialog.problems.text()
        assert dialog.calendar_button.text() == "录入2027年节假日…"
        _click(qtbot, dialog.calendar_button)
        calendar = dialog.calendar_button.dialog
        assert calendar is not None and calendar.actor.text() == SECRETARY     # the plan's secretary enters it
        calendar.load_file(write_2027(tmp_path / "2027.json"))
        wait_ops(qtbot)
        calendar.close()
        assert dialog.calendar_button.text() == "工作日历…"
        dialog.create_meeting()
        wait_ops(qtbot)
        assert not dialog.isVisible() and dialog.meeting_id is not None


def test_documents_and_archive_without_2027_write_the_rest_and_close(qtbot, december, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = december(D(2026, 12, 10), Step.SIGNING)
    dialog = DocumentsDialog(app, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.setText(str(tmp_path / "docs"))
    dialog.unsealed.setChecked(True)
    _click(qtbot, dialog.generate_button)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=60_000)
    kinds = {row.kind for row in dialog.model.rows}
    assert {"minutes", "result-sheets", "ballots-1"} <= kinds and "filing-report" not in kinds
    assert "备案报告：其中有2027年的日期，尚未录入2027年节假日" in dialog.skipped.text()
    assert dialog.calendar_button.isVisible() and dialog.calendar_button.text() == "录入2027年节假日…"
    assert ops.messages.history == [] or ops.messages.history[-1][0] != "error"
    dialog.close()
    assert not dialog.isVisible()                        # nothing left busy: the window closes
    window = MainWindow(app, 1)
    qtbot.addWidget(window)
    window.show()
    page = window.wizard.currentPage()
    assert page.step == Step.ARCHIVE
    page.folder.setText(str(tmp_path / "archive"))
    page.passphrase.setText(DEMO_PASSPHRASE)            # the demo's key, made at its setup
    _click(qtbot, page.archive_button)
    qtbot.waitUntil(lambda: not ops.busy(), timeout=60_000)
    assert page.isComplete() and "备案报告: 其中有2027年的日期" in page.where.text()
    assert page.calendar_button.isVisible() and page.calendar_button.text() == "录入2027年节假日…"
    assert ops.messages.history == [] or ops.messages.history[-1][0] != "error"
    # 2027 saved from step 9 itself: the note no longer says the filing report waits for it
    _click(qtbot, page.calendar_button)
    calendar = page.calendar_button.dialog
    assert isinstance(calendar, CalendarDialog)
    calendar.load_file(write_2027(tmp_path / "2027.json"))
    wait_ops(qtbot)
    calendar.close()
    assert "尚未录入2027年节假日" not in page.where.text()
    assert "未归档的文书：备案报告——2027年节假日现已录入，请重新归档以纳入该文书" in page.where.text()
    assert not page.calendar_button.isVisible()
    bridge.set_language("en")
    assert "the holidays of 2027 are entered now; archive again to include it" in page.where.text()
    window.close()


def test_every_string_of_the_calendar_has_chinese() -> None:
    missing = []
    for name in ("calendar_dialog.py", "calendar_offer.py", "calendar_parts.py"):
        for node in ast.walk(ast.parse((ROOT / "ui" / name).read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "Column") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value not in ZH:
                    missing.append(f"{name}: {first.value!r}")
    assert not missing, missing
