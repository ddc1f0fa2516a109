"""Setup, fourth tab: the chair and vice-chair (designated, not drawn) — replaced or removed with a
written reason until step 1 is finished — and the discipline groups (评议组) of the drawn experts, each
with the leader (组长) the chair chose among its experts (X§10(五): the leader presides over the group's
deliberation). The setup is not complete while a group has no leader; seating a leader in another
group leaves their group without one.

The candidates are reviewed in the same groups (steps 3 and 5), and most offices' rosters carry no
评议组 column: *Group the candidates by specialty* proposes, for every candidate in no group, the
group whose experts share the candidate's specialty (the draw seats experts by specialty), shows the
proposal and applies it in one change (:meth:`SetupService.assign_candidate_groups`). A candidate whose
specialty is in no group, or in several, is listed: the candidates tab's correction places them one
by one. Each grouping action says what it did, or why it did nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.services.setup import MemberInput
from app.views.candidates import CandidateView
from app.views.panel import DrawView, PanelRow
from ui.i18n import bracketed, bridge, joined, role_name, tr
from ui.models import Column, RowsModel
from ui.ops import messages
from ui.pages.common import selected, table
from ui.pages.setup_forms import CorrectionDialog, PresidingDialog

if TYPE_CHECKING:
    from ui.pages.setup import SetupPage as Page

TITLES = ("正高", "副高", "中级")
#: Width of the dialog showing the proposed candidate groups: a group's line of codes on one line.
PROPOSAL_WIDTH = 660


def suggested_groups(experts: list[PanelRow], specialty_of: dict[str, str],
                     candidates: list[CandidateView]) -> dict[str, list[str]]:
    """Each expert to the group most of their specialty's candidates are in (评议组 by specialty)."""
    votes: dict[str, Counter[str]] = {}
    for c in candidates:
        if c.group:
            votes.setdefault(c.specialty, Counter())[c.group] += 1
    out: dict[str, list[str]] = {}
    for e in experts:
        counter = votes.get(specialty_of.get(e.code, ""))
        if counter:
            out.setdefault(counter.most_common(1)[0][0], []).append(e.code)
    return out


def groups_by_specialty(experts: list[PanelRow], specialty_of: dict[str, str]) -> dict[str, list[str]]:
    """One discipline group per specialty the experts were drawn for, named by the specialty
    (内科 → group 内科, printed 内科组); an expert whose specialty the draw does not say is left out."""
    out: dict[str, list[str]] = {}
    for e in experts:
        specialty = specialty_of.get(e.code, "").strip()
        if specialty:
            out.setdefault(specialty, []).append(e.code)
    return out


@dataclass(frozen=True)
class CandidateGrouping:
    """What *Group the candidates by specialty* proposes for the candidates in no group: ``placed``
    (code → the one group whose experts share their specialty), ``unmatched`` (no group's experts
    share it) and ``ambiguous`` (experts of that specialty sit in several groups: ``(candidate,
    groups)``) — the last two for the person to place."""

    placed: dict[str, str]
    unmatched: tuple[CandidateView, ...]
    ambiguous: tuple[tuple[CandidateView, tuple[str, ...]], ...]


def proposed_candidate_groups(experts: list[PanelRow], specialty_of: dict[str, str],
                              candidates: list[CandidateView]) -> CandidateGrouping:
    """Each candidate in no group to the group whose experts share the candidate's specialty."""
    groups_of: dict[str, set[str]] = {}
    for e in experts:
        specialty = specialty_of.get(e.code, "").strip()
        if e.group and specialty:
            groups_of.setdefault(specialty, set()).add(e.group)
    placed: dict[str, str] = {}
    unmatched: list[CandidateView] = []
    ambiguous: list[tuple[CandidateView, tuple[str, ...]]] = []
    for c in candidates:
        if c.group:
            continue
        found = sorted(groups_of.get(c.specialty.strip(), ()))
        if len(found) == 1:
            placed[c.code] = found[0]
        elif found:
            ambiguous.append((c, tuple(found)))
        else:
            unmatched.append(c)
    return CandidateGrouping(placed, tuple(unmatched), tuple(ambiguous))


def _codes(codes: list[str], shown: int = 8) -> str:
    """Candidate codes, the first ``shown`` and an ellipsis."""
    return joined(codes[:shown]) + ("…" if len(codes) > shown else "")


def left_to_place(proposal: CandidateGrouping, shown: int = 8) -> list[str]:
    """One line per candidate the person places with the candidates tab's correction."""
    lines = [tr("{who} ({specialty}): no group's experts have this specialty",
                who=f"{c.code} {c.name}", specialty=c.specialty) for c in proposal.unmatched]
    lines += [tr("{who} ({specialty}): experts of this specialty sit in {groups}",
                 who=f"{c.code} {c.name}", specialty=c.specialty, groups=joined(groups))
              for c, groups in proposal.ambiguous]
    if len(lines) > shown:
        lines = [*lines[:shown], tr("… and {n} more", n=len(lines) - shown)]
    return lines


class PanelTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.specialty_of: dict[str, str] = {}
        self.candidates: list[CandidateView] = []
        self.locked = False
        layout = QHBoxLayout(self)

        self.presiding_box = QGroupBox()
        left = QVBoxLayout(self.presiding_box)
        self.presiding = RowsModel([
            Column("Role", lambda m: role_name(m.role)), Column("Code", lambda m: m.code),
            Column("Name", lambda m: m.name), Column("Unit", lambda m: m.unit)], self)
        self.presiding_view = table(self.presiding, (90, 50, 80))
        self.presiding_view.selectionModel().selectionChanged.connect(lambda *_: self._check())
        left.addWidget(self.presiding_view, 1)
        change = QHBoxLayout()
        self.replace, self.remove = QPushButton(), QPushButton()
        self.replace.clicked.connect(self.ask_replace)
        self.remove.clicked.connect(self.ask_remove)
        change.addWidget(self.replace)
        change.addWidget(self.remove)
        change.addStretch(1)
        left.addLayout(change)
        self.dialog: CorrectionDialog | None = None
        form = QFormLayout()
        self.role = QComboBox()
        self.code, self.name, self.unit = QLineEdit(), QLineEdit(), QLineEdit()
        self.title = QComboBox()
        self.title.setEditable(True)
        self.title.addItems(TITLES)
        self.add = QPushButton()
        self.add.clicked.connect(self.add_presiding)
        self.form_labels = [QLabel() for _ in range(5)]
        for label, field in zip(self.form_labels, (self.role, self.code, self.name, self.unit, self.title),
                                strict=True):
            form.addRow(label, field)
        form.addRow("", self.add)
        left.addLayout(form)
        for edit in (self.code, self.name, self.unit):
            edit.textChanged.connect(self._check)
        layout.addWidget(self.presiding_box, 2)

        self.group_box = QGroupBox()
        right = QVBoxLayout(self.group_box)
        self.experts = RowsModel([
            Column("Code", lambda m: m.code), Column("Name", lambda m: m.name),
            Column("Unit", lambda m: m.unit), Column("Title", lambda m: m.title),
            Column("Specialty", lambda m: self.specialty_of.get(m.code, "")),
            Column("Group", lambda m: m.group or "—", colour=lambda m: None if m.group else "#b3261e"),
            Column("Leader", lambda m: "★ " + tr("Leader") if m.leader else "",
                   colour=lambda m: "#2e7d32" if m.leader else None)], self)
        self.expert_view = table(self.experts, (55, 75, 150, 50, 70, 50), multi=True)
        self.expert_view.selectionModel().selectionChanged.connect(lambda *_: self._check())
        right.addWidget(self.expert_view, 1)
        row = QHBoxLayout()
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.setMinimumWidth(90)
        self.assign = QPushButton()
        self.assign.clicked.connect(self.assign_selected)
        self.suggest = QPushButton()
        self.suggest.clicked.connect(self.apply_suggestion)
        self.group_label = QLabel()
        row.addWidget(self.group_label)
        row.addWidget(self.group)
        row.addWidget(self.assign)
        row.addStretch(1)
        right.addLayout(row)
        self.make_leader = QPushButton()   # the chair's choice of each group's leader (组长)
        self.make_leader.clicked.connect(self.choose_leader)
        for button in (self.make_leader, self.suggest):   # a row each: side by side, the two long English
            line = QHBoxLayout()                           # labels widened the tab past a 1280-pixel window
            line.addStretch(1)
            line.addWidget(button)
            right.addLayout(line)
        self.leaders = QLabel()         # each group with its leader, the full width of the box
        self.leaders.setWordWrap(True)
        right.addWidget(self.leaders)
        third = QHBoxLayout()           # the candidates in the experts' groups
        self.candidate_state = QLabel()
        self.candidate_state.setWordWrap(True)
        self.group_candidates = QPushButton()
        self.group_candidates.clicked.connect(self.propose_candidate_groups)
        third.addWidget(self.candidate_state, 1)
        third.addWidget(self.group_candidates)
        right.addLayout(third)
        layout.addWidget(self.group_box, 3)

    def load(self, members: list[PanelRow], record: DrawView | None, candidates: list[CandidateView]) -> None:
        self.candidates = candidates
        self.specialty_of = {code: s for s, codes in (record.drawn if record else {}).items() for code in codes}
        self.presiding.set_rows([m for m in members if m.role != Role.EXPERT.value])
        self.experts.set_rows([m for m in members if m.role == Role.EXPERT.value])
        groups = sorted({c.group for c in candidates if c.group} | {m.group for m in members if m.group})
        current = self.group.currentText()
        self.group.clear()
        self.group.addItems(groups)
        if current:
            self.group.setCurrentText(current)
        self.retranslate()

    def retranslate(self) -> None:
        self.presiding_box.setTitle(tr("Chair and vice-chair (designated, not drawn)"))
        self.group_box.setTitle(tr("Discipline groups (评议组) of the drawn experts"))
        role = self.role.currentIndex()
        self.role.clear()
        self.role.addItem(tr("Chair"), Role.CHAIR.value)
        self.role.addItem(tr("Vice-chair"), Role.VICE_CHAIR.value)
        self.role.setCurrentIndex(max(role, 0))
        for label, text in zip(self.form_labels, (tr("Role"), tr("Code"), tr("Name"), tr("Unit"), tr("Title")),
                               strict=True):
            label.setText(text)
        self.add.setText(tr("Add to the panel"))
        self.replace.setText(tr("Replace…"))
        self.remove.setText(tr("Remove…"))
        self.group_label.setText(tr("Group"))
        self.assign.setText(tr("Put the selected experts in this group"))
        self.suggest.setText(tr("Group by the candidates' groups"))
        self.suggest.setToolTip(tr("Each expert joins the group of most candidates of their specialty"))
        self.group_candidates.setText(tr("Group the candidates by specialty"))
        self.group_candidates.setToolTip(tr("Each candidate in no group joins the group whose experts share "
                                            "the candidate's specialty; you see the proposal before it is "
                                            "applied"))
        self.make_leader.setText(tr("Make leader of the group (组长)"))
        self.make_leader.setToolTip(tr("The chair chooses one leader per group among its experts; the leader "
                                       "presides over the group's deliberation and presents it to the plenary"))
        self._show_leaders()
        self._show_candidates()
        self._check()

    def _show_candidates(self) -> None:
        """How many candidates are in no group (red while the experts sit in groups: the setup waits)."""
        loose = [c.code for c in self.candidates if not c.group]
        if not self.candidates:
            self.candidate_state.setText("")
        elif not loose:
            self.candidate_state.setText(tr("Candidates: every one of the {n} is in a group",
                                            n=len(self.candidates)))
        else:
            text = tr("Candidates in no group: {n} of {total} ({codes})", n=len(loose),
                      total=len(self.candidates), codes=_codes(loose))
            grouped = any(m.group for m in self.experts.rows)
            self.candidate_state.setText(f"<span style='color:#b3261e'>{text}</span>" if grouped else text)

    def _show_leaders(self) -> None:
        """Each group with its leader, or a red “not chosen” the setup's list repeats."""
        experts = self.experts.rows
        groups = sorted({m.group for m in experts if m.group})
        if not groups:
            self.leaders.setText("")
            return
        sep = "：" if bridge.language == "zh" else ": "
        parts = []
        for g in groups:
            leader = next((m for m in experts if m.group == g and m.leader), None)
            who = leader.name if leader else f"<span style='color:#b3261e'>{tr('no leader chosen')}</span>"
            parts.append(f"{g}{sep}{who}")
        self.leaders.setText(f"<b>{tr('Leaders (组长)')}</b>　" + "　".join(parts))

    def set_locked(self, locked: bool) -> None:
        for w in (self.role, self.code, self.name, self.unit, self.title, self.group, self.suggest,
                  self.group_candidates):
            w.setEnabled(not locked)
        self.make_leader.setVisible(not locked)
        self.locked = locked
        self._check()

    def _check(self) -> None:
        locked = self.locked
        self.add.setEnabled(not locked and all(e.text().strip() for e in (self.code, self.name, self.unit)))
        self.assign.setEnabled(not locked)
        picked = selected(self.expert_view)
        self.make_leader.setEnabled(not locked and len(picked) == 1 and bool(picked[0].group)
                                    and not picked[0].leader)
        chosen = bool(selected(self.presiding_view))
        for button in (self.replace, self.remove):
            button.setVisible(not locked)
            button.setEnabled(chosen)

    def ask_replace(self) -> None:
        rows = selected(self.presiding_view)
        if not rows:
            return
        page, old = self.page, rows[0]
        self.dialog = dialog = PresidingDialog(self, old)
        actor, mid = page.actor(), page.meeting_id
        dialog.submitted.connect(lambda: page.act(
            partial(page.app.setup.replace_presiding, actor, mid, old.code, dialog.value(), dialog.reason_text()),
            lambda _r: dialog.accept(), dialog.show_refusal))
        dialog.open()

    def ask_remove(self) -> None:
        rows = selected(self.presiding_view)
        if not rows:
            return
        page, old = self.page, rows[0]
        self.dialog = dialog = CorrectionDialog(
            tr("Remove {name}", name=old.name + bracketed(role_name(old.role))),
            tr("The chair or vice-chair leaves the panel; the meeting cannot start without a chair."), self,
            ok_text=tr("Remove"))
        actor, mid = page.actor(), page.meeting_id
        dialog.submitted.connect(lambda: page.act(
            partial(page.app.setup.remove_presiding, actor, mid, old.code, dialog.reason_text()),
            lambda _r: dialog.accept(), dialog.show_refusal))
        dialog.open()

    def add_presiding(self) -> None:
        page, actor = self.page, self.page.actor()
        row = MemberInput(self.code.text().strip(), self.name.text().strip(), self.unit.text().strip(),
                          self.title.currentText().strip(), Role(self.role.currentData()))

        def clear(_r: object) -> None:
            for edit in (self.code, self.name, self.unit):
                edit.clear()
        page.act(lambda: page.app.setup.add_members(actor, page.meeting_id, [row]), clear)

    def assign_selected(self) -> None:
        codes = [m.code for m in selected(self.expert_view)]
        group = self.group.currentText().strip()
        if codes and group:
            self.set_groups({group: codes})

    def choose_leader(self) -> None:
        """The selected expert leads their group (组长); the group's earlier leader steps down."""
        picked = selected(self.expert_view)
        if len(picked) != 1 or not picked[0].group:
            return
        page, actor, expert = self.page, self.page.actor(), picked[0]
        page.act(lambda: page.app.setup.set_group_leader(actor, page.meeting_id, expert.group or "", expert.code))

    def apply_suggestion(self) -> None:
        """The experts to the groups of their specialty's candidates — or why nothing was done."""
        title = tr("Group by the candidates' groups")
        if not self.experts.rows:
            messages.post("info", title, tr("No expert has been drawn yet."))
            return
        if not any(c.group for c in self.candidates):
            # no group to follow (the roster has no 评议组 column): one group per specialty drawn
            by_specialty = groups_by_specialty(self.experts.rows, self.specialty_of)
            if not by_specialty:
                messages.post("info", title, tr(
                    "Nothing was done: no candidate is in a group yet (the roster has no 评议组 column), so there "
                    "is no group to follow. Seat the experts yourself: type a group name, select the experts of "
                    "one specialty and press “Put the selected experts in this group”; then press “Group the "
                    "candidates by specialty”."))
                return
            text = tr("No candidate is in a group yet: the experts are seated in one group per specialty drawn "
                      "({groups}). Now press “Group the candidates by specialty”, then choose each group's leader.",
                      groups="，".join(f"{g} {len(codes)}" for g, codes in sorted(by_specialty.items())))
            self.set_groups(by_specialty, lambda _r: messages.post("info", title, text))
            return
        groups = suggested_groups(self.experts.rows, self.specialty_of, self.candidates)
        if not groups:
            messages.post("info", title, tr(
                "Nothing was done: no expert's specialty (from the draw) is the specialty of a candidate in a "
                "group. Seat the experts yourself: select them, choose a group and press “Put the selected "
                "experts in this group”."))
            return
        seated = sum(len(codes) for codes in groups.values())
        left = len(self.experts.rows) - seated
        text = tr("{n} experts seated: {groups}.", n=seated,
                  groups="，".join(f"{g} {len(codes)}" for g, codes in sorted(groups.items())))
        if left:
            text += " " + tr("{n} experts have a specialty no grouped candidate has: seat them yourself.", n=left)
        self.set_groups(groups, lambda _r: messages.post("info", title, text))

    def propose_candidate_groups(self) -> None:
        """Show what *Group the candidates by specialty* would do; the dialog's OK applies it."""
        title = tr("Group the candidates by specialty")
        loose = [c for c in self.candidates if not c.group]
        if not loose:
            messages.post("info", title, tr("Nothing to do: every candidate is already in a group."))
            return
        if not any(m.group for m in self.experts.rows):
            messages.post("info", title, tr(
                "Nothing was done: the experts are not in groups yet. Seat them first (select the experts of "
                "one specialty, type a group name and press “Put the selected experts in this group”); the "
                "candidates then join the group of their specialty."))
            return
        proposal = proposed_candidate_groups(self.experts.rows, self.specialty_of, self.candidates)
        rest = left_to_place(proposal)
        place_later = tr("Put each of these in a group with “Correct…” in the candidates tab:")
        if not proposal.placed:
            messages.post("info", title, "\n".join([tr("Nothing was done: no candidate in no group has a "
                                                        "specialty whose experts sit in a single group."),
                                                     place_later, *rest]))
            return
        by_group: dict[str, list[str]] = {}
        for code, group in proposal.placed.items():
            by_group.setdefault(group, []).append(code)
        specialties = {c.code: c.specialty for c in loose}
        lines = [tr("{n} of the {total} candidates in no group join the group whose experts share their "
                    "specialty:", n=len(proposal.placed), total=len(loose))]
        for group, codes in sorted(by_group.items()):
            kinds = joined(sorted({specialties[c] for c in codes}))
            lines.append(tr("{group} ({specialties}): {n} — {codes}", group=group, specialties=kinds,
                            n=len(codes), codes=_codes(codes)))
        if rest:
            lines += ["", tr("Not placed — put each of these in a group with “Correct…” in the candidates tab:"),
                      *rest]
        self.dialog = dialog = CorrectionDialog(title, "\n".join(lines), self, reason=False,
                                                ok_text=tr("Put them in these groups"))
        dialog.setMinimumWidth(PROPOSAL_WIDTH)          # the wrapped proposal's height is not the dialog's own:
        dialog.resize(PROPOSAL_WIDTH, dialog.heightForWidth(PROPOSAL_WIDTH))     # sized for it, nothing cut
        page, actor, placed = self.page, self.page.actor(), dict(proposal.placed)

        def applied(_result: object) -> None:
            dialog.accept()
            done = tr("{n} candidates put in the group of their specialty.", n=len(placed))
            messages.post("info", title, "\n".join([done, place_later, *rest]) if rest else done)
        dialog.submitted.connect(lambda: page.act(
            partial(page.app.setup.assign_candidate_groups, actor, page.meeting_id, placed),
            applied, dialog.show_refusal))
        dialog.open()

    def set_groups(self, groups: dict[str, list[str]], then: Callable[[object], None] | None = None) -> None:
        page, actor = self.page, self.page.actor()
        page.act(lambda: page.app.setup.set_groups(actor, page.meeting_id, groups), then)
