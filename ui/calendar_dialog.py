"""The working-day calendar (工作日历): enter a year the bundled calendar does not know.

The State Council publishes next year's holidays in November; a meeting voting after about
1 December needs them for its filing deadline. Here the secretary picks the year, enters its
holidays as the notice lists them — periods, from a first to a last day — and its make-up
working days (调休上班, each a Saturday or a Sunday), or loads a ``conclave-calendar/1`` file,
and saves: one audited call (:class:`~app.services.calendar.CalendarService`) that stores the
year in the meeting database, so it is archived with it. The dialog shows where each year's
days come from (bundled, stored — by whom, typed or from which file — or a ``--calendar``
file for this run) and how many working days the year then has, a quick check against the
notice. Edits to a year are kept while another year is shown, until saved or closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.rules.calendar import UserYear, user_year_problems
from app.rules.calendar_years import bundled_span, day_ranges, days_between, year_days
from app.services import Conclave
from ui.calendar_parts import (
    date_edit,
    date_of,
    day_text,
    days_model,
    periods_model,
    qdate,
    row,
    source_text,
    summary_text,
)
from ui.i18n import bridge, joined, local, tr
from ui.models import RowsModel
from ui.ops import run_op
from ui.pages.common import table

RED, GREEN, GREY = "#b3261e", "#2e7d32", "#555"


class CalendarDialog(QDialog):
    """Enter, load and check the years of the working-day calendar; ``stored`` carries each
    year saved, so that the screen showing dates can count them again."""

    stored = Signal(int)

    def __init__(self, app: Conclave, year: int | None = None, parent: QWidget | None = None,
                 actor: str = "") -> None:
        super().__init__(parent)
        self.app = app
        span = bundled_span()
        self.drafts: dict[int, tuple[set[dt.date], set[dt.date]]] = {}   # unsaved edits, by year
        self.holidays: set[dt.date] = set()
        self.workdays: set[dt.date] = set()
        self.file_dialog: QFileDialog | None = None
        self._message: tuple[str, Callable[[], str]] = (GREY, str)   # re-rendered when the language changes

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.year_label, self.source = QLabel(), QLabel()
        self.source.setWordWrap(True)
        self.year = QSpinBox()
        self.year.setRange(1900, 2200)
        self.year.setValue(year or ((span[1] + 1) if span else dt.date.today().year))

        self.holiday_box, self.workday_box = QGroupBox(), QGroupBox()
        self.holiday_model, self.workday_model = periods_model(self), days_model(self)
        wide = self.fontMetrics().horizontalAdvance("2027-09-15  Wednesday") + 24   # the longest date shown
        self.holiday_view = self._table(self.holiday_model, (wide, wide, 0))
        self.workday_view = self._table(self.workday_model, ())
        self.first, self.last, self.make_up = date_edit(), date_edit(), date_edit()
        self.from_label, self.to_label = QLabel(), QLabel()
        self.add_holiday, self.remove_holiday = QPushButton(), QPushButton()
        self.add_workday, self.remove_workday = QPushButton(), QPushButton()
        left = QVBoxLayout(self.holiday_box)
        left.addWidget(self.holiday_view, 1)
        left.addLayout(row(self.from_label, self.first, self.to_label, self.last, None, self.add_holiday,
                            self.remove_holiday))
        right = QVBoxLayout(self.workday_box)
        right.addWidget(self.workday_view, 1)
        right.addLayout(row(self.make_up, None, self.add_workday, self.remove_workday))

        self.summary, self.problem, self.stored_years = QLabel(), QLabel(), QLabel()
        for label in (self.summary, self.problem, self.stored_years):
            label.setWordWrap(True)
        self.actor_label = QLabel()
        self.actor = QLineEdit(actor or self._default_actor())
        self.load_button, self.save_button, self.close_button = QPushButton(), QPushButton(), QPushButton()

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(row(self.year_label, self.year, (self.source, 1)))
        columns = QHBoxLayout()
        columns.addWidget(self.holiday_box, 2)
        columns.addWidget(self.workday_box, 1)
        layout.addLayout(columns, 1)
        for label in (self.summary, self.problem, self.stored_years):
            layout.addWidget(label)
        layout.addLayout(row(self.actor_label, (self.actor, 1)))
        layout.addLayout(row(self.load_button, None, self.save_button, self.close_button))

        self.year.valueChanged.connect(self._year_changed)
        self.add_holiday.clicked.connect(self.add_period)
        self.remove_holiday.clicked.connect(self.remove_period)
        self.add_workday.clicked.connect(self.add_make_up)
        self.remove_workday.clicked.connect(self.remove_make_up)
        self.load_button.clicked.connect(self.choose_file)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.actor.textChanged.connect(self._actor_changed)
        self.first.dateChanged.connect(self._first_changed)
        bridge.language_changed.connect(self.retranslate)
        self.resize(1100, 640)      # fits a 1366×768 screen with the task bar
        self._load_year()
        self.retranslate()

    @staticmethod
    def _table(model: RowsModel, widths: tuple[int, ...]) -> QTableView:
        view = table(model, widths, numbers=False)
        view.setMinimumHeight(180)
        return view

    def _default_actor(self) -> str:
        ids = self.app.views.meeting_ids()
        return self.app.views.acting_secretary(ids[-1]) if ids else ""

    # connected as methods, never as lambdas holding the dialog: no reference cycle through a slot
    def _actor_changed(self, _text: str) -> None:
        self._show()

    def _first_changed(self, first: QDate) -> None:
        if self.last.date() < first:       # a period ends on or after its first day
            self.last.setDate(first)

    def _file_chosen(self, path: str) -> None:
        self.load_file(Path(path))

    # -- the year shown ---------------------------------------------------------------------
    def _year_changed(self, _value: int) -> None:
        self._load_year()
        self._say(GREY)

    def _load_year(self) -> None:
        year = self.year.value()
        if year in self.drafts:
            self.holidays, self.workdays = (set(x) for x in self.drafts[year])
        else:
            known = year_days(self.app.calendar, year)
            self.holidays, self.workdays = set(known.holidays), set(known.workdays)
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for edit in (self.first, self.last, self.make_up):
            edit.setDateRange(qdate(first), qdate(last))
            edit.setDate(qdate(first))
        self.make_up.setDate(qdate(first + dt.timedelta(days=(5 - first.weekday()) % 7)))   # a Saturday
        self._show()

    def _changed(self) -> None:
        self.drafts[self.year.value()] = (set(self.holidays), set(self.workdays))
        self._show()

    def _show(self) -> None:
        year = self.year.value()
        self.holiday_model.set_rows(day_ranges(self.holidays))
        self.workday_model.set_rows(sorted(self.workdays))
        self.source.setText(self._source_text(year))
        self.summary.setText(summary_text(year, self.holidays, self.workdays))
        stored = self.app.views.calendar_years()
        self.stored_years.setText(tr("Stored in this meeting database: {years}", years=joined(
            str(s.year) for s in stored) or tr("none")))
        self.save_button.setEnabled(bool(self.actor.text().strip()) and year in self.drafts)
        self.remove_holiday.setEnabled(bool(self.holidays))
        self.remove_workday.setEnabled(bool(self.workdays))
        self.problem.setStyleSheet(f"color:{self._message[0]};")
        self.problem.setText(self._message[1]())
        for label in (self.summary, self.problem):
            label.setVisible(bool(label.text()))

    def _source_text(self, year: int) -> str:
        if year in self.drafts:
            return tr("{year}: edited here, not saved yet.", year=year)
        return source_text(self.app, year)

    # -- editing ----------------------------------------------------------------------------
    def add_period(self) -> None:
        days = set(days_between(date_of(self.first), date_of(self.last)))
        clash = sorted(days & self.workdays)
        if clash:
            return self._say(RED, lambda: tr("{day} is a make-up working day: remove it there first.",
                                             day=day_text(clash[0])))
        self.holidays |= days
        self._say(GREY)
        self._changed()

    def remove_period(self) -> None:
        period = self._selected(self.holiday_view, self.holiday_model)
        if period is not None:
            self.holidays -= set(days_between(*period))  # type: ignore[misc]
            self._changed()

    def add_make_up(self) -> None:
        day = date_of(self.make_up)
        problems = user_year_problems(self.year.value(), UserYear(frozenset(), frozenset({day})))
        if problems:        # a weekday: only a Saturday or a Sunday can be worked to make up
            return self._say(RED, lambda: local(problems[0]))
        if day in self.holidays:
            return self._say(RED, lambda: tr("{day} is a holiday: remove it there first.", day=day_text(day)))
        self.workdays.add(day)
        self._say(GREY)
        self._changed()

    def remove_make_up(self) -> None:
        day = self._selected(self.workday_view, self.workday_model)
        if day is not None:
            self.workdays.discard(day)
            self._changed()

    def _selected(self, view: QTableView, model: RowsModel) -> object | None:
        index = view.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= model.rowCount():
            self._say(RED, lambda: tr("Select the line to remove first."))
            return None
        self._say(GREY)
        return model.row(index.row())

    # -- saving and loading -----------------------------------------------------------------
    def save(self) -> None:
        """Store the year shown (one audited call); refusals are shown here, naming the field."""
        year, actor, service = self.year.value(), self.actor.text().strip(), self.app.working_days
        holidays, workdays = set(self.holidays), set(self.workdays)
        self.save_button.setEnabled(False)

        def done(_stored: object) -> None:
            self.drafts.pop(year, None)
            self._load_year()
            self._say(GREEN, lambda: tr("{year} is saved in this meeting database.", year=year))
            self.stored.emit(year)

        run_op(lambda: service.store_year(actor, year, holidays, workdays), done, self._refused,
               on_error=self._show)

    def choose_file(self) -> None:
        self.file_dialog = QFileDialog(self, tr("Load a calendar file"), str(Path.home()))
        self.file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.file_dialog.setNameFilter(tr("Calendar files (*.json)"))
        self.file_dialog.fileSelected.connect(self._file_chosen)
        self.file_dialog.open()

    def load_file(self, path: Path) -> None:
        """Store every year of a ``conclave-calendar/1`` file (one audited call)."""
        actor, service = self.actor.text().strip(), self.app.working_days
        if not actor:
            return self._say(RED, lambda: tr("Enter who enters the calendar first (recorded in the audit trail)."))

        def done(years: tuple[int, ...]) -> None:
            for year in years:
                self.drafts.pop(year, None)
            if years and self.year.value() != years[0]:
                self.year.setValue(years[0])
            self._load_year()
            self._say(GREEN, lambda: tr("Loaded from {file} and saved: {years}.", file=path.name,
                                        years=joined(map(str, years))))
            for year in years:
                self.stored.emit(year)

        run_op(lambda: service.import_file(actor, path), done, self._refused, on_error=self._show)

    def _refused(self, exc: RuleViolation) -> None:
        self._say(RED, lambda: "\n".join(local(v.message) for v in exc.violations[:6]))

    def _say(self, colour: str, text: Callable[[], str] = str) -> None:
        """Show the outcome of the last action; ``text`` is called again when the language changes."""
        self._message = (colour, text)
        self._show()

    def retranslate(self, _language: str = "") -> None:
        self.setWindowTitle(tr("Working-day calendar"))
        self.intro.setText(tr("Publicity and filing deadlines count working days. A year the bundled calendar does "
                              "not know is entered here from the State Council notice (国务院办公厅关于部分节假日安排"
                              "的通知): its holidays as the notice lists them, and its make-up working days. It is "
                              "stored in this meeting database and archived with it."))
        self.year_label.setText(tr("Year"))
        self.holiday_box.setTitle(tr("Holidays (放假): periods from the first to the last day off"))
        self.workday_box.setTitle(tr("Make-up working days (调休上班): Saturdays or Sundays"))
        self.from_label.setText(tr("From"))
        self.to_label.setText(tr("to"))
        self.add_holiday.setText(tr("Add"))
        self.remove_holiday.setText(tr("Remove"))
        self.add_workday.setText(tr("Add"))
        self.remove_workday.setText(tr("Remove"))
        self.actor_label.setText(tr("Entered by"))
        self.actor.setPlaceholderText(tr("Required: recorded in the audit trail"))
        self.load_button.setText(tr("Load a calendar file…"))
        self.save_button.setText(tr("Save this year"))
        self.close_button.setText(tr("Close"))
        self._show()
