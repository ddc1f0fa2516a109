"""会前准备 Meeting setup: the committee and plan, staff, candidates and expert pool, the
witnessed draw, the chair and vice-chair, and the discipline groups.

The page's gate is the engine's (:meth:`ProcedureService.setup_gate`): the supervisor
named, candidates on the agenda, the panel drawn (or seated), the chair on it, every
discipline group staffed — the same list the services check before step 1 may begin.
Once the preparatory meeting (step 1)
has finished, the panel and the agenda have been announced: the page is read-only
until the chair reopens step 1.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from app.domain import Step
from app.views.meeting import PlanView
from ui.i18n import local, tr
from ui.pages.setup_draw import DrawTab
from ui.pages.setup_panel import PanelTab
from ui.pages.setup_people import RosterTab
from ui.pages.setup_plan import PlanTab
from ui.wizard import StepPage


class SetupPage(StepPage):
    """The setup page (no step of its own); its gate is the list of :meth:`missing` items."""

    def build(self) -> None:
        self._locked = False
        self.tabs = QTabWidget()
        self.plan_tab = PlanTab(self)
        self.candidates_tab = RosterTab(self, "candidates")
        self.pool_tab = RosterTab(self, "pool")
        self.draw_tab = DrawTab(self)
        self.panel_tab = PanelTab(self)
        for tab in self.all_tabs():
            self.tabs.addTab(tab, "")
        self.body.addWidget(self.tabs)

    def all_tabs(self) -> tuple[PlanTab, RosterTab, RosterTab, DrawTab, PanelTab]:
        return (self.plan_tab, self.candidates_tab, self.pool_tab, self.draw_tab, self.panel_tab)

    def plan_view(self) -> PlanView:
        return self.app.views.plan(self.meeting_id)

    def load(self) -> None:
        """Reload every tab; the page locks once step 1 is finished."""
        app, mid = self.app, self.meeting_id
        self._locked = any(s.step == Step.PREPARATORY and s.done for s in app.procedure.status(mid))
        plan = self.plan_view()
        candidates = app.views.candidates(mid)
        pool = app.views.pool(mid)
        record = app.views.draw_record(mid)
        members = app.views.panel(mid)
        self.plan_tab.load(plan, app.views.quorum(mid))
        self.candidates_tab.load(candidates, record is not None, app.views.withdrawn(mid))
        self.pool_tab.load(pool, record is not None)
        self.draw_tab.load(plan, record, pool, app.views.specialty_counts(mid), len(candidates),
                           app.views.draw_history(mid))
        self.panel_tab.load(members, record, candidates)

    def locked(self) -> bool:
        return self._locked

    def missing(self) -> list[str]:
        """What the meeting still needs before the preparatory meeting can start: the engine's gate."""
        if self.locked():
            return []
        return self.app.procedure.setup_gate(self.meeting_id)

    def retranslate(self) -> None:
        for i, name in enumerate((tr("Committee, plan and staff"), tr("Candidates (申报人花名册)"),
                                  tr("Expert pool (评审专家库)"), tr("Draw"), tr("Chair and groups"))):
            self.tabs.setTabText(i, name)
        for tab in self.all_tabs():
            tab.retranslate()
        self.banner_label.setText(tr("The panel and the agenda were announced at the preparatory meeting "
                                     "(step 1): setup is read-only. Reopen step 1 to change it."))
        self.reopen_button.hide()

    def _show_state(self) -> None:
        """The base shows no checklist on the setup page, and disables a locked body; here the
        record stays readable and printable, only the editing controls are locked."""
        super()._show_state()
        self.body_widget.setEnabled(True)
        for tab in self.all_tabs():
            tab.set_locked(self.locked())
        if self.locked():
            self.checklist.setText(f"✓ {tr('Setup finished: the preparatory meeting has been held.')}")
            return
        missing = self.missing()
        if missing:
            items = "".join(f"<li>{local(m)}</li>" for m in missing)
            self.checklist.setText(f"<b>{tr('Missing before the meeting can start:')}</b><ul>{items}</ul>")
        else:
            self.checklist.setText(f"✓ {tr('Ready: the meeting can start with the preparatory meeting.')}")
