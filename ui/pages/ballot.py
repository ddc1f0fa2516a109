"""Step 7 表决: the secret ballot — who is present, who has voted (never how), paper ballots, results.

Three states, one at a time: before a round (tick the experts present at the
vote), a round open (a live roll of who has voted, refreshed every second
because terminals cast into the same database; paper ballots ticked on the
roll and typed twice), and between or after rounds (results, and a runoff to
start when a tie straddles a limit). Rounds are never edited or reopened.

Above the three states, who presides at the vote (主持表决): the chair is offered, the vice-chair
may be chosen (the chair delegated), and it is stored only when confirmed — with the opening of
the ballot, or with *Record* during step 7; the minutes name them and step 7 does not finish
without.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import RuleViolation
from app.services.staff import StaffSession
from app.views.ballot import BatchView, RoundView, result_rows
from ui import ops
from ui.announce import names, outcome_text, reason_text
from ui.dialogs import VoidRoundDialog
from ui.i18n import bracketed, bridge, headline, role_name, tr
from ui.models import Column, RowsModel
from ui.pages.ballot_presence import PresencePanel
from ui.paper_entry import PaperEntryDialog
from ui.round_passphrase import RoundPassphraseDialog
from ui.staff_sign_in import StaffSignInDialog
from ui.wizard import StepPage


@dataclass(frozen=True)
class RollRow:
    code: str
    name: str
    group: str
    voted: bool


def table(model: RowsModel, stretch_last: bool = False) -> QTableView:
    """A read-only table over a :class:`RowsModel`, one row selected at a time."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def round_title(r: RoundView, name_of: dict[str, str]) -> str:
    if r.kind == "first":
        return tr("Round {n}: first round", n=r.number)
    return tr("Round {n}: runoff among {names} for {places} place(s)", n=r.number,
              names=names(r.candidates, name_of), places=r.places)


class BallotPage(StepPage):
    """表决 — the heart of the meeting; see the module docstring."""

    WATCHES = frozenset({"ballot_round", "voter_roll", "ballot", "paper_batch", "candidate", "member", "meeting"})

    def build(self) -> None:
        self.round: RoundView | None = None
        self.shown_round: int | None = None
        self.live_key: object = None
        self.choosing_runoff = False
        self.paper_dialog: PaperEntryDialog | None = None
        self.passphrase_dialog: RoundPassphraseDialog | None = None
        self.staff_token: str | None = None      # the staff member ticking paper ballots on the roll
        self.staff_dialog: StaffSignInDialog | None = None
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.body.addWidget(self.headline)
        presiding = QHBoxLayout()          # 主持表决: offered, stored only when confirmed
        self.presider_label = QLabel()
        self.presider = QComboBox()
        self.presider.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.presider.currentIndexChanged.connect(lambda _i: self._show_presider())
        self.presider_state = QLabel()
        self.presider_state.setWordWrap(True)
        self.presider_button = QPushButton()
        self.presider_button.clicked.connect(self.record_presider)
        presiding.addWidget(self.presider_label)
        presiding.addWidget(self.presider)
        presiding.addWidget(self.presider_button)
        presiding.addWidget(self.presider_state, 1)
        self.body.addLayout(presiding)
        self.recorded_presider: str | None = None
        self.stack = QStackedWidget()
        self.body.addWidget(self.stack, 1)
        # -- before a round: who is present -------------------------------------
        start = QWidget()
        sl = QVBoxLayout(start)
        sl.setContentsMargins(0, 0, 0, 0)
        self.presence = PresencePanel()
        self.presence.changed.connect(self._enable_start)
        sl.addWidget(self.presence, 1)
        row = QHBoxLayout()
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start_round)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(lambda: self._choose_runoff(False))
        # 表决日期: the day the ballot is held, among the days the meeting sits — chosen, not assumed
        self.vote_day_label = QLabel()
        self.vote_day = QComboBox()
        self.vote_day.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.vote_day.currentIndexChanged.connect(lambda _i: self._enable_start())
        row.addWidget(self.vote_day_label)
        row.addWidget(self.vote_day)
        row.addStretch(1)
        self.start_why = QLabel()              # why the ballot cannot open yet (the button alone only greys)
        self.start_why.setStyleSheet("color:#555555;")
        row.addWidget(self.start_why)
        row.addWidget(self.back_button)
        row.addWidget(self.start_button)
        sl.addLayout(row)
        self.stack.addWidget(start)
        # -- a round open: live roll and paper ballots ----------------------------
        live = QWidget()
        ll = QHBoxLayout(live)
        ll.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        self.roll_model = RowsModel([
            Column("Code", lambda r: r.code), Column("Name", lambda r: r.name),
            Column("Group", lambda r: r.group),
            Column("Voted", lambda r: "✓ " + tr("voted") if r.voted else "—",
                   colour=lambda r: "#2e7d32" if r.voted else "#888888")], self)
        self.roll = table(self.roll_model, stretch_last=True)
        # the box collected at once: the voters who handed in paper ballots are selected together
        # (Ctrl/Shift-click) and ticked in one go — all or none (VotingService.mark_paper_votes)
        self.roll.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.roll.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        left.addWidget(self.roll, 1)
        self.mark_button = QPushButton()
        self.mark_button.clicked.connect(self.mark_paper)
        left.addWidget(self.mark_button)
        ll.addLayout(left, 1)
        right = QVBoxLayout()
        self.count = QLabel()
        big = QFont(self.count.font())
        big.setPointSize(30)
        big.setBold(True)
        self.count.setFont(big)
        self.count_caption = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.absent = QLabel()
        self.absent.setWordWrap(True)
        self.paper_label = QLabel()
        self.paper_label.setWordWrap(True)
        self.batch_model = RowsModel([
            Column("Batch", lambda b: b.code), Column("Ballots", lambda b: b.size, align_right=True),
            Column("Status", lambda b: tr(_BATCH_STATUS[b.status]),
                   colour=lambda b: "#2e7d32" if b.status == "accepted" else "#b3261e"),
            Column("Clerks A / B", lambda b: f"{b.clerk_a or '—'} / {b.clerk_b or '—'}")], self)
        self.batches = table(self.batch_model, stretch_last=True)
        self.batches.setMaximumHeight(130)
        self.batches.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        buttons = QHBoxLayout()
        self.new_batch_button = QPushButton()
        self.new_batch_button.clicked.connect(lambda: self.enter_batch(None))
        self.again_button = QPushButton()
        self.again_button.clicked.connect(lambda: self.enter_batch(self._again_batch()))
        buttons.addWidget(self.new_batch_button)
        buttons.addWidget(self.again_button)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#b3261e;")
        self.close_button = QPushButton()
        self.confirm = QFrame()
        self.close_button.clicked.connect(lambda: self.confirm.setVisible(True))
        self.confirm.setStyleSheet("QFrame{background:#fff4d6;border:1px solid #e0b84c;}")
        cl = QVBoxLayout(self.confirm)
        self.confirm_text = QLabel()
        self.confirm_text.setWordWrap(True)
        self.confirm_text.setStyleSheet("border:none;")
        cr = QHBoxLayout()
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self.close_round)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(lambda: self.confirm.setVisible(False))
        cr.addStretch(1)
        cr.addWidget(self.cancel_button)
        cr.addWidget(self.confirm_button)
        cl.addWidget(self.confirm_text)
        cl.addLayout(cr)
        self.confirm.hide()
        top_widgets: list[QWidget] = [self.count, self.count_caption, self.progress, self.absent,
                                      self.paper_label, self.batches]
        for widget in top_widgets:
            right.addWidget(widget)
        right.addLayout(buttons)
        right.addStretch(1)
        # the way out of a round that can never close (its passphrase lost): void it, unopened
        self.void_button = QPushButton()
        self.void_button.setFlat(True)
        self.void_button.setStyleSheet("QPushButton{color:#555;text-decoration:underline;text-align:right;}")
        self.void_button.clicked.connect(self.ask_void)
        for widget in (self.warning, self.close_button, self.confirm, self.void_button):
            right.addWidget(widget)
        ll.addLayout(right, 1)
        self.stack.addWidget(live)
        # -- results -------------------------------------------------------------
        done = QWidget()
        dl = QVBoxLayout(done)
        dl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        self.round_choice = QComboBox()
        self.round_choice.setProperty("allowed_when_locked", True)   # choosing a round to view reads only
        self.round_choice.currentIndexChanged.connect(lambda _i: self._show_results())
        top.addWidget(self.round_choice)
        dl.addLayout(top)
        # a runoff's own rule, under the pass mark of the vote: its table is read against it, not the pass
        # mark (a runoff candidate passing with 8 yes votes under "at least 9" read as a miscount)
        self.round_rule = QLabel()
        self.round_rule.setWordWrap(True)
        dl.addWidget(self.round_rule)
        self.results_model = RowsModel([
            Column("Code", lambda r: r.code), Column("Name", lambda r: r.name), Column("Level", lambda r: r.level),
            Column("Yes", lambda r: r.tally.yes if r.tally else "", align_right=True),
            Column("No", lambda r: r.tally.no if r.tally else "", align_right=True),
            Column("Abstain", lambda r: r.tally.abstain if r.tally else "", align_right=True),
            Column("Outcome", lambda r: outcome_text(r.outcome), colour=lambda r: _OUTCOME_COLOUR.get(r.outcome)),
            Column("Reason", lambda r: reason_text(r.reason))], self)
        self.results = table(self.results_model, stretch_last=True)
        dl.addWidget(self.results, 1)
        self.runoff_box = QFrame()
        self.runoff_box.setStyleSheet("QFrame{background:#fff4d6;border:1px solid #e0b84c;}")
        rl = QHBoxLayout(self.runoff_box)
        self.runoff_text = QLabel()
        self.runoff_text.setWordWrap(True)
        self.runoff_text.setStyleSheet("border:none;")
        self.runoff_button = QPushButton()
        self.runoff_button.clicked.connect(lambda: self._choose_runoff(True))
        rl.addWidget(self.runoff_text, 1)
        rl.addWidget(self.runoff_button)
        dl.addWidget(self.runoff_box)
        self.stack.addWidget(done)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

    # -- loading -----------------------------------------------------------------
    def load(self) -> None:
        rounds = self.app.views.rounds(self.meeting_id)
        self.cands = self.app.views.candidates(self.meeting_id)
        self.name_of = {c.code: c.name for c in self.cands}
        self.members = self.app.views.members(self.meeting_id)
        self.round = next((r for r in rounds if r.status == "open"), None)
        self.rounds = rounds
        self.confirm.hide()
        self._load_presider()
        if self.round is not None:
            self.stack.setCurrentIndex(1)
            self.headline.setText(f"<b>{round_title(self.round, self.name_of)}</b> — {tr('open')}")
            self.live_key = None
            if self.round.id != self.shown_round:     # a new round: nobody is pre-selected for a paper mark
                self.roll.clearSelection()
                self.shown_round = self.round.id
            self._live()
            self.timer.start()
            return
        self.timer.stop()
        if rounds and not self.choosing_runoff:
            self.stack.setCurrentIndex(2)
            self._results_view()
            return
        self.stack.setCurrentIndex(0)
        self._load_vote_days(first=not rounds)
        self.presence.set_members(self.members, self.app.views.departed_members(self.meeting_id),
                                  set(rounds[-1].voters) if rounds else None, self.app.views.quorum(self.meeting_id))
        self.retranslate()

    def _load_vote_days(self, *, first: bool) -> None:
        """The first round is held on one of the days the meeting sits (the plan's days, else its
        date): today when the meeting sits today, else the chair chooses — the minutes print it.
        A runoff is held on the first round's day."""
        self.vote_day.setVisible(first)
        self.vote_day_label.setVisible(first)
        if not first:
            return
        plan = self.app.views.plan(self.meeting_id)
        days = [d.day for d in plan.days] or [plan.meeting_date]
        chosen = self.vote_day.currentData()
        self.vote_day.blockSignals(True)
        self.vote_day.clear()
        if len(days) > 1 and dt.date.today() not in days:
            self.vote_day.addItem(tr("— choose the day —"), None)
        for d in days:
            self.vote_day.addItem(d.isoformat(), d)
        index = self.vote_day.findData(chosen if chosen in days else dt.date.today())
        self.vote_day.setCurrentIndex(max(index, 0))
        self.vote_day.blockSignals(False)

    def _load_presider(self) -> None:
        """The chair and vice-chair present; the one recorded, else the chair, selected."""
        recorded = self.app.views.vote_presider(self.meeting_id, self.members)
        self.recorded_presider = recorded.code if recorded else None
        gone = self.app.views.departed_members(self.meeting_id)
        people = [m for m in self.members if m.role in ("chair", "vice_chair") and m.checked_in
                  and m.code not in gone]
        if recorded is not None and recorded.code not in {m.code for m in people}:
            people.insert(0, recorded)
        self.presider.blockSignals(True)
        self.presider.clear()
        for m in sorted(people, key=lambda m: m.role != "chair"):
            self.presider.addItem(m.name + bracketed(role_name(m.role)), m.code)
        self.presider.setCurrentIndex(max(self.presider.findData(self.recorded_presider), 0))
        self.presider.blockSignals(False)
        self._show_presider()

    def _show_presider(self) -> None:
        chosen = self.presider.currentData()
        recorded = self.recorded_presider
        self.presider_button.setEnabled(chosen is not None and chosen != recorded)
        self.presider_button.setVisible(chosen != recorded and (recorded is not None or self.rounds_exist()))
        if recorded is not None:
            self.presider_state.setText(tr("Recorded: {name}", name=self.presider.itemText(
                self.presider.findData(recorded))))
            self.presider_state.setStyleSheet("color:#2e7d32;")
        elif self.rounds_exist():
            self.presider_state.setText(tr("Not recorded yet: confirm who presides — the minutes name them and "
                                           "step 7 cannot finish without."))
            self.presider_state.setStyleSheet("color:#b3261e;")
        else:
            self.presider_state.setText(tr("Recorded when the ballot opens."))
            self.presider_state.setStyleSheet("color:#555;")

    def record_presider(self) -> None:
        code, actor, mid = self.presider.currentData(), self.actor(), self.meeting_id
        if code:
            self.act(lambda: self.app.voting.record_vote_presider(actor, mid, code))

    def _tick(self) -> None:
        """Terminals cast into the same database: follow the roll while the round is open."""
        if self.round is None or ops.busy() or not self.isVisible():
            return
        current = next((r for r in self.app.views.rounds(self.meeting_id) if r.id == self.round.id), None)
        if current is None or current.status != "open":
            self.refresh()
            return
        self.round = current
        self._live()

    def _live(self) -> None:
        r = self.round
        assert r is not None
        batches = self.app.views.paper_batches(r.id)
        key = (r.voted, r.ballots, tuple(batches))
        if key == self.live_key:
            return
        self.live_key = key
        who = {m.code: m for m in self.members}
        rows = [RollRow(c, who[c].name if c in who else c, (who[c].group or "") if c in who else "", c in r.voted)
                for c in r.voters]
        if [(x.code, x.voted) for x in rows] != [(x.code, x.voted) for x in self.roll_model.rows]:
            selected = {x.code for x in self._selected_voters()}
            self.roll_model.set_rows(rows)
            self._select_voters(i for i, x in enumerate(rows) if x.code in selected)
        if batches != self.batch_model.rows:
            self.batch_model.set_rows(batches)
        self.batch_list = batches
        self.count.setText(f"{len(r.voted)} / {len(r.voters)}")
        self.progress.setRange(0, len(r.voters))
        self.progress.setValue(len(r.voted))
        self._live_texts()
        self._enable()

    def _uncounted(self) -> tuple[int, int]:
        """Paper ballots in the box not yet counted, and how many of them no batch holds yet."""
        r = self.round
        assert r is not None
        waiting = sum(b.size for b in self.batch_list if b.status != "accepted")
        uncounted = len(r.voted) - r.ballots
        return uncounted, max(0, uncounted - waiting)

    def _live_texts(self) -> None:
        r = self.round
        if r is None:
            return
        uncounted, loose = self._uncounted()
        self.count_caption.setText(tr("have voted, of the voters on the roll (it shows who, never how)"))
        self.absent.setText(tr("Absent or departed, recorded: {names}", names=self._people(r.absent)))
        self.paper_label.setText(tr("Paper ballots in the box not yet counted: {n} ({loose} not yet typed)",
                                    n=uncounted, loose=loose))
        unconfirmed = [b.code for b in self.batch_list if b.status != "accepted"]
        self.warning.setText(tr("Batch {codes} is not confirmed by a second entry: the round cannot close yet.",
                                codes=", ".join(unconfirmed)) if unconfirmed else "")
        self.warning.setVisible(bool(unconfirmed))
        lost = tr(" {n} paper ballots handed in are not counted yet and would be lost.", n=uncounted) \
            if uncounted else ""
        self.confirm_text.setText(tr("Close round {n} for good? {v} of {t} have voted. Nobody can vote after it "
                                     "closes and it can never be reopened.", n=r.number, v=len(r.voted),
                                     t=len(r.voters)) + lost)

    def _people(self, codes: tuple[str, ...]) -> str:
        name_of = {m.code: m.name for m in self.members}
        return names(codes, name_of) if codes else tr("none")

    def _results_view(self) -> None:
        res = self.app.views.results(self.meeting_id)
        first = self.rounds[0]
        self.res = res
        caps = "; ".join(tr("{level}: at most {max} of {entered} may pass", level=lvl, max=v["max_pass"],
                            entered=v["entered"]) for lvl, v in res.caps.items())
        quotas = ("" if bridge.language == "zh" else " ").join(tr("Quota {key}: {n} place(s).", key=k, n=n)
                                                             for k, n in res.quotas.items())
        absent = self._people(first.absent)
        self.summary.setText(tr("Voters present: {n} (absent: {absent}). Pass mark: at least {t} yes votes "
                                "(two thirds). Pass-rate cap: {caps}.", n=res.attending_voters, absent=absent,
                                t=res.threshold, caps=caps) + (" " + quotas if quotas else ""))
        keep = self.round_choice.currentIndex() if self.round_choice.count() == len(self.rounds) else -1
        self.round_choice.blockSignals(True)
        self.round_choice.clear()
        for r in self.rounds:
            self.round_choice.addItem(tr("Round {n}", n=r.number) if r.kind == "first"
                                      else tr("Round {n} (runoff)", n=r.number), r.number)
        self.round_choice.setCurrentIndex(keep if 0 <= keep < len(self.rounds) else len(self.rounds) - 1)
        self.round_choice.blockSignals(False)
        self._show_results()
        pending = res.allocation.pending
        self.runoff_box.setVisible(bool(pending))
        if pending:
            p = pending[0]
            limit = tr("the pass-rate cap of {key}", key=p.key) if p.limit == "pass_rate_cap" \
                else tr("the quota {key}", key=p.key)
            self.runoff_text.setText(tr("A runoff (再次投票) is needed among {names} for {places} place(s): they "
                                        "tie at {limit}. The most yes votes pass; a tie again means another "
                                        "runoff.", names=names(p.candidates, self.name_of), places=p.places,
                                        limit=limit))
            self.headline.setText(f"<b>{tr('Results so far: a runoff is pending')}</b>")
        else:
            passed = sum(1 for o in res.allocation.outcomes.values() if o.outcome == "passed")
            self.headline.setText("<b>" + tr("Every outcome is decided: {p} passed, {f} not passed.", p=passed,
                                          f=len(res.allocation.outcomes) - passed) + "</b>")

    def _show_results(self) -> None:
        number = self.round_choice.currentData()
        if number is not None:
            self.results_model.set_rows(result_rows(self.res, self.cands, number))
        shown = next((r for r in self.rounds if r.number == number), None)
        runoff = shown is not None and shown.kind == "runoff"
        self.round_rule.setVisible(runoff)
        if runoff and shown is not None:
            self.round_rule.setText(tr(
                "Round {n} is a runoff (再次投票) among {names} for {places} place(s): each of them reached the pass "
                "mark in round 1; the most yes votes pass (按赞成票多少确定), with no pass mark of its own.",
                n=shown.number, names=names(shown.candidates, self.name_of), places=shown.places or 0))

    # -- actions -----------------------------------------------------------------
    def _choose_runoff(self, on: bool) -> None:
        self.choosing_runoff = on
        self.load()

    def start_round(self) -> None:
        """Ask the supervisor for the new round's passphrase (:class:`RoundPassphraseDialog`), then open it."""
        self.passphrase_dialog = RoundPassphraseDialog(self.app, self.meeting_id, len(self.rounds) + 1, True, self)
        self.passphrase_dialog.entered.connect(self._open_round)
        self.passphrase_dialog.open()

    def _open_round(self, passphrase: str) -> None:
        present, actor, mid = self.presence.present(), self.actor(), self.meeting_id
        if self.rounds:
            job = lambda: self.app.voting.open_runoff(actor, mid, present, passphrase=passphrase)  # noqa: E731
        else:
            presider = self.presider.currentData()          # confirmed by opening the ballot
            day = self.vote_day.currentData()
            job = lambda: self.app.voting.open_first_round(actor, mid, present, presider=presider,  # noqa: E731
                                                           vote_date=day, passphrase=passphrase)
        self.choosing_runoff = False
        self.act(job)

    def _selected_voters(self) -> list[RollRow]:
        """The voters selected on the roll, in the roll's order."""
        rows = self.roll.selectionModel().selectedRows() if self.roll.selectionModel() else []
        return [self.roll_model.row(i) for i in sorted(index.row() for index in rows)]

    def _select_voters(self, rows: Iterable[int]) -> None:
        """Select these rows of the roll (and only these)."""
        self.roll.clearSelection()
        model, chosen = self.roll.selectionModel(), QItemSelection()
        for row in rows:
            chosen.select(self.roll_model.index(row, 0), self.roll_model.index(row, self.roll_model.columnCount() - 1))
        model.select(chosen, QItemSelectionModel.SelectionFlag.Select)

    def _to_tick(self) -> list[RollRow]:
        """The selected voters who have not voted yet: those a paper mark ticks."""
        return [v for v in self._selected_voters() if not v.voted]

    def _selected_batch(self) -> BatchView | None:
        rows = self.batches.selectionModel().selectedRows()
        return self.batch_model.row(rows[0].row()) if rows else None

    def _again_batch(self) -> BatchView | None:
        """The batch to type again: the one selected, else the first not yet confirmed."""
        batch = self._selected_batch()
        if batch is not None and batch.status != "accepted":
            return batch
        return next((b for b in getattr(self, "batch_list", []) if b.status != "accepted"), None)

    def mark_paper(self) -> None:
        """Tick the roll for the paper ballots handed in by the voters selected who have not voted —
        as the staff member signed in on this page (asked once, with their own code: the engine takes
        who ticked it from the session). Several at once are ticked all or none: one refused (voted
        meanwhile at a terminal, say) ticks nobody, and the refusal names them."""
        voters, r = self._to_tick(), self.round
        if not voters or r is None:
            return
        if self.staff_token is None:
            self.staff_dialog = StaffSignInDialog(self.app, self.meeting_id, self)
            self.staff_dialog.signed_in.connect(self._staff_signed_in)
            self.staff_dialog.open()
            return
        token, codes = self.staff_token, [v.code for v in voters]
        if len(codes) == 1:
            self.act(lambda: self.app.voting.mark_paper_vote(token, r.id, codes[0]), refused=self._staff_refused)
        else:
            self.act(lambda: self.app.voting.mark_paper_votes(token, r.id, codes), refused=self._staff_refused)

    def _staff_refused(self, exc: RuleViolation) -> None:
        if exc.rule == "staff.session":      # signed out meanwhile (or another person on the plan): ask again
            self.staff_token = None

    def _staff_signed_in(self, session: StaffSession) -> None:
        self.staff_token = session.token
        self.mark_paper()

    def enter_batch(self, typed: BatchView | None) -> None:
        if self.round is None:
            return
        used = {b.code for b in self.batch_list}
        code = typed.code if typed else next(f"B{i}" for i in range(1, 1000) if f"B{i}" not in used)
        self.paper_dialog = PaperEntryDialog(self.app, self.meeting_id, self.round, code, self._uncounted()[1],
                                             typed, None, self)
        self.paper_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)   # typed ballots leave memory
        self.paper_dialog.stored.connect(self.refresh)
        self.paper_dialog.destroyed.connect(self._dialog_gone)
        self.paper_dialog.open()

    def _dialog_gone(self) -> None:
        self.paper_dialog = None

    def close_round(self) -> None:
        """Ask for the round passphrase that opens the sealed box, then close the round (a round an older
        version opened has no sealed box and closes without one)."""
        r = self.round
        if r is not None and not r.sealed:     # opened by an older version: no sealed box, no passphrase
            self._close_round(r, None)
        elif r is not None:
            self.passphrase_dialog = RoundPassphraseDialog(self.app, self.meeting_id, r.number, False, self)
            self.passphrase_dialog.entered.connect(lambda secret: self._close_round(r, secret))
            self.passphrase_dialog.open()

    def ask_void(self) -> None:
        r = self.round
        if r is None:
            return
        self.void_dialog = VoidRoundDialog(self.app, self.meeting_id, r.number, r.ballots, self)
        self.void_dialog.given.connect(lambda chair, reason, code: self._void(r, chair, reason, code))
        self.void_dialog.open()

    def _void(self, r: RoundView, chair: str, reason: str, code: str) -> None:
        """The supervisor signs in for this act alone (their own code, typed in the dialog), then the void."""
        mid, staff, voting, dialog = self.meeting_id, self.app.staff, self.app.voting, self.void_dialog

        def void() -> int:
            session = staff.sign_in(mid, "supervisor", code)
            try:
                return voting.void_round(session.token, mid, r.id, chair, reason)
            finally:
                staff.sign_out(session.token)

        def done(discarded: object) -> None:
            if dialog is not None:
                dialog.accept()
            self._voided(r.number, discarded if isinstance(discarded, int) else 0)

        def refused(exc: RuleViolation) -> None:
            if dialog is not None:
                dialog.show_refusal("\n".join(headline(v) for v in exc.violations))

        self.act(void, then=done, refused=refused)

    def _voided(self, number: int, discarded: int) -> None:
        """Say what happened and what comes next (the round is held again from the start)."""
        compacted = self.app.voting.last_compacted is not False

        def render() -> tuple[str, str]:
            text = tr("Round {n} was voided: its box ({b} ballot(s)) was not opened or counted. Hold it again: "
                      "tick the experts present, set a new round passphrase and start the vote; every expert present "
                      "votes again.", n=number, b=discarded)
            if not compacted:
                text += " " + tr("The meeting file could not be compacted now because another program is using "
                                 "it; the compaction will be done the next time the meeting is opened.")
            return tr("Round {n} voided", n=number), text
        ops.messages.post("info", *render(), render=render)

    def _close_round(self, r: RoundView, passphrase: str | None) -> None:
        actor, mid, voting = self.actor(), self.meeting_id, self.app.voting
        self.act(lambda: voting.close_round(actor, mid, r.id, passphrase), then=lambda _res: self._closed(r.number))

    def _closed(self, number: int) -> None:
        """Say truthfully when the close could not compact the file (another program held it)."""
        if self.app.voting.last_compacted is False:
            def render() -> tuple[str, str]:
                return (tr("Round {n} is closed; the file is not yet compacted", n=number),
                        tr("Round {n} is closed and its ballots are counted. The meeting file could not be "
                           "compacted now because another program is using it (reading or writing it); the "
                           "compaction will be done the next time the meeting is opened, before anything else.",
                           n=number))
            ops.messages.post("info", *render(), render=render)

    def _enable(self) -> None:
        voters = self._to_tick()
        self.mark_button.setEnabled(bool(voters))
        if len(voters) == 1:
            self.mark_button.setText(tr("Paper ballot handed in: {name}", name=voters[0].name))
        elif voters:
            self.mark_button.setText(tr("Paper ballots handed in: {n} voters selected", n=len(voters)))
        else:
            self.mark_button.setText(tr("Paper ballot handed in (select the voters who have not voted)"))
        if self.round is not None:
            self.new_batch_button.setEnabled(self._uncounted()[1] > 0)
            batch = self._again_batch()
            self.again_button.setEnabled(batch is not None)
            self.again_button.setText(tr("Second entry of batch {code}…", code=batch.code) if batch
                                      else tr("Second entry of the batch…"))

    def retranslate(self) -> None:
        self.presider_label.setText(tr("Presiding at the vote (主持表决)"))
        self.vote_day_label.setText(tr("Vote held on"))
        if self.vote_day.count() and self.vote_day.itemData(0) is None:
            self.vote_day.setItemText(0, tr("— choose the day —"))
        self.presider_button.setText(tr("Record"))
        if self.presider.count():
            self._load_presider()
        self.start_button.setText(tr("Start runoff (再次投票)") if self.rounds_exist() else tr("Open the ballot"))
        self.back_button.setText(tr("Back to the results"))
        self.back_button.setVisible(self.rounds_exist())
        self.new_batch_button.setText(tr("Type a new paper batch…"))
        self.close_button.setText(tr("Close this round…"))
        self.void_button.setText(tr("The round cannot be opened (passphrase lost)? Void it…"))
        self.confirm_button.setText(tr("Close for good"))
        self.cancel_button.setText(tr("Cancel"))
        self.runoff_button.setText(tr("Start runoff (再次投票)"))
        self.presence.retranslate()
        self._enable_start()
        if self.stack.currentIndex() == 0:
            pending = self.app.views.results(self.meeting_id).allocation.pending if self.rounds_exist() else []
            self.headline.setText("<b>" + (tr("Runoff among {names} for {places} place(s): tick the experts present "
                                              "at this vote", names=names(pending[0].candidates, self.name_of),
                                              places=pending[0].places) if pending
                                           else tr("Open the ballot: tick the experts present at the vote")) + "</b>")
        elif self.stack.currentIndex() == 1 and self.round is not None:
            self.headline.setText(f"<b>{round_title(self.round, self.name_of)}</b> — {tr('open')}")
            self._live_texts()
            self._enable()
        elif self.stack.currentIndex() == 2 and self.rounds_exist():
            self._results_view()

    def _enable_start(self) -> None:
        """Open the ballot (or a runoff) only with the plan's quorum present; the engine refuses too."""
        first = not self.rounds_exist()
        no_day = first and self.vote_day.currentData() is None
        self.start_button.setEnabled(self.presence.quorate() and not no_day)
        self.start_why.setText(tr("Choose the day of the vote first") if no_day else
                               "" if self.presence.quorate() else tr("Fewer experts present than the quorum"))

    def rounds_exist(self) -> bool:
        return bool(getattr(self, "rounds", None))


_BATCH_STATUS = {"waiting": "waiting for the second entry", "mismatch": "entries differ",
                 "accepted": "confirmed, counted"}
_OUTCOME_COLOUR = {"passed": "#2e7d32", "failed": "#b3261e", "runoff_pending": "#a66300"}
