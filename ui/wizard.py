"""The meeting as a wizard: a setup page and one page per step, with a sidebar of all ten.

:class:`StepPage` is the base of every page. It shows the page's work area,
the gate's checklist ("what is missing"), and — on a finished step — a locked
banner with the chair's *Reopen…*. Its ``isComplete`` is the gate (Next stays
disabled until it holds), and ``validatePage`` finishes the step through
:meth:`ProcedureService.complete`, the same call the command line uses.

Pages receive the services in their constructor; a page subclass fills
``self.body`` in ``build()``, reloads its data in ``load()`` and re-applies its
texts in ``retranslate()``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain import Step, StepStatus
from app.errors import RuleViolation
from app.services import Changes, Conclave
from ui.i18n import bridge, local, tr
from ui.ops import messages, run_op
from ui.scrolling import WrappedText, scrolling
from ui.sidebar import SETUP_PAGE, Sidebar, step_name

#: Lines of the gate's checklist shown before it scrolls.
CHECKLIST_LINES = 6
_EDITORS = (QAbstractButton, QAbstractSpinBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit, QTextEdit)


def _allowed_when_locked(widget: QWidget) -> bool:
    here: QWidget | None = widget
    while here is not None:
        if here.property("allowed_when_locked"):
            return True
        here = here.parentWidget()
    return False


class StepPage(QWizardPage):
    """One step of the meeting (or the setup page when ``step`` is None).

    A refresh reads the procedure's status once (every step's state and the current step's
    gate) and reloads the page's own data only when a change touched what it shows:
    ``WATCHES`` names the tables a page shows (``None``: reload after any change).
    """

    changed = Signal(object)           # the statuses read by the refresh, for the sidebar
    WATCHES: frozenset[str] | None = None

    def __init__(self, app: Conclave, meeting_id: int, step: Step | None) -> None:
        super().__init__()
        self.app = app
        self.meeting_id = meeting_id
        self.step = step
        self.status: StepStatus | None = None
        self.statuses: list[StepStatus] = []
        self._missing_ahead: tuple[str, ...] | None = None
        self._disabled_by_lock: list[QWidget] = []
        outer = QVBoxLayout(self)
        self.banner = QWidget()
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(8, 4, 8, 4)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.reopen_button = QPushButton()
        self.reopen_button.clicked.connect(self._ask_reopen)
        banner_row.addWidget(self.banner_label, 1)
        banner_row.addWidget(self.reopen_button)
        self.banner.setObjectName("lockBanner")
        self.banner.setStyleSheet("#lockBanner { background:#fff4d6; border:1px solid #e0b84c; }")
        self.banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer.addWidget(self.banner)
        self.body_widget = QWidget()
        self.body = QVBoxLayout(self.body_widget)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body_scroll = scrolling(self.body_widget)     # a long page scrolls; the window never grows
        outer.addWidget(self.body_scroll, 1)
        self.checklist_box = WrappedText(CHECKLIST_LINES)
        self.checklist = self.checklist_box.label
        self.checklist.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checklist.setObjectName("checklist")
        outer.addWidget(self.checklist_box)
        self.build()
        bridge.language_changed.connect(self._on_language)
        self._retranslate_all()

    def _on_language(self, _language: str) -> None:
        self._retranslate_all()

    # -- for subclasses ----------------------------------------------------------
    def build(self) -> None:
        """Create the work area in ``self.body``."""

    def load(self) -> None:
        """Reload the page's data from the services."""

    def retranslate(self) -> None:
        """Re-apply the page's own texts."""

    def act(self, job: Callable[[], object], then: Callable[[object], None] | None = None,
            refused: Callable[[RuleViolation], None] | None = None) -> None:
        """Run a mutation off the UI thread, then refresh the page with what it changed (also after
        a refusal or an unexpected error, so that nothing on the page stays busy). ``refused``
        also receives a refusal — a dialog shows it in place and stays open. Success clears the
        message bar first: a refusal the person has since put right does not stay on screen."""
        def done(outcome: tuple[object, Changes]) -> None:
            result, changes = outcome
            messages.clear()
            if then is not None:
                then(result)
            self.refresh(changes)

        def not_done(exc: RuleViolation) -> None:
            if refused is not None:
                refused(exc)
            self.refresh(Changes())
        run_op(lambda: self.app.tracked(job), done, not_done, on_error=lambda: self.refresh(Changes()))

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch what this page shows (then it reloads its data)."""
        return self.WATCHES is None or changes.touches(*self.WATCHES)

    # -- gate and lock -----------------------------------------------------------
    def refresh(self, changes: Changes | None = None) -> None:
        """Read the status once; reload the data if ``changes`` (None: unknown) concern this page."""
        with self.app.reading():            # one snapshot for the status and the page's data
            self.statuses = self.app.procedure.status(self.meeting_id)
            self._missing_ahead = None
            if self.step is not None:
                self.status = next(s for s in self.statuses if s.step == self.step)
            if changes is None or self.shows(changes):
                self.load()
            self._show_state()
        self.completeChanged.emit()
        self.changed.emit(self.statuses)

    def missing(self) -> list[str]:
        """What the step's gate still misses, from the status read by the last refresh."""
        if self.step is None or (self.status and self.status.done):
            return []
        if self.status and self.status.current:
            return list(self.status.missing)
        if self._missing_ahead is None:      # a step not reached yet (shown only after a reopen)
            self._missing_ahead = tuple(self.app.procedure.gate(self.meeting_id, self.step))
        return list(self._missing_ahead)

    def locked(self) -> bool:
        return bool(self.status and self.status.done)

    def initializePage(self) -> None:
        """Called when the wizard shows the page: load the data, show gate and lock state
        (not while the wizard fast-forwards past finished steps to the current one)."""
        wizard = self.wizard()
        if not getattr(wizard, "fast_forward", False):
            self.refresh()

    def isComplete(self) -> bool:
        """Next is enabled only when the gate holds (or the step is already finished)."""
        return self.locked() or not self.missing()

    def validatePage(self) -> bool:
        """Finishing the page finishes the step (locks it) through the procedure service."""
        step = self.step
        if step is None or self.locked():
            return True
        ok: list[bool] = []
        run_op(lambda: self.app.procedure.complete(self.actor(), self.meeting_id, step),
               lambda _r: ok.append(True), synchronous=True)
        self.refresh()
        return bool(ok)

    def actor(self) -> str:
        """Who the audit trail names for actions taken at this screen: the meeting's secretary
        (a fixed name otherwise — the audit trail must not change with the display language)."""
        return self.app.views.acting_secretary(self.meeting_id)

    def _set_read_only(self, read_only: bool) -> None:
        """A finished step is read-only: every control that changes something is disabled,
        while tables and text stay scrollable and selectable. A control that only reads —
        print, save a copy — opts out with ``setProperty("allowed_when_locked", True)``."""
        if read_only:
            for w in self.body_widget.findChildren(QWidget):
                viewing = isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit) and w.isReadOnly()
                if isinstance(w, _EDITORS) and w.isEnabled() and not viewing \
                        and not isinstance(w, QAbstractItemView) and not _allowed_when_locked(w):
                    w.setEnabled(False)
                    self._disabled_by_lock.append(w)
        else:
            for w in self._disabled_by_lock:
                w.setEnabled(True)
            self._disabled_by_lock.clear()

    def _show_state(self) -> None:
        locked = self.locked()
        self.banner.setVisible(locked)
        if locked and self.step is not None:   # once a ballot round has closed, nothing can be reopened
            closed = self.status is not None and not self.status.reopenable
            self.reopen_button.setVisible(not closed)
            self.banner_label.setText(tr("This step is finished and locked.") + (
                " " + tr("A ballot round has closed: results are never edited.") if closed else ""))
        self._set_read_only(locked)
        missing = self.missing()
        if self.step is None:
            self.checklist_box.setText("")
        elif locked:
            summary = local(self.status.summary) if self.status else ""
            self.checklist_box.setText(f"✓ {tr('Done — locked')}  {summary}")
        elif missing:
            items = "".join(f"<li>{local(m)}</li>" for m in missing)
            self.checklist_box.setText(f"<b>{tr('Missing before this step can finish:')}</b><ul>{items}</ul>")
        else:
            self.checklist_box.setText(f"✓ {tr('Ready: every item of this step is recorded.')}")

    def _retranslate_all(self) -> None:
        if self.step is not None:
            self.setTitle(tr("Step {n} of 10: {name}", n=int(self.step), name=step_name(self.step)))
        else:
            self.setTitle(tr("Meeting setup"))
        self.banner_label.setText(tr("This step is finished and locked."))
        self.reopen_button.setText(tr("Reopen…"))
        self.retranslate()
        if self.status is not None or self.step is None:
            self._show_state()

    def _ask_reopen(self) -> None:
        from ui.dialogs import ReopenDialog

        dialog = ReopenDialog(self.app, self.meeting_id, self.step, self)  # type: ignore[arg-type]
        dialog.reopened.connect(lambda: self.wizard().go_to_current())  # type: ignore[attr-defined]
        dialog.open()


class MeetingWizard(QWizard):
    """The setup page and the ten steps. Opening it goes straight to where the meeting is."""

    def __init__(self, app: Conclave, meeting_id: int,
                 pages: dict[int, type[StepPage]] | None = None) -> None:
        super().__init__()
        from ui.pages import PAGES

        self.app = app
        self.meeting_id = meeting_id
        self.fast_forward = False
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.IndependentPages, True)
        self.sidebar = Sidebar(app, meeting_id)
        self.setSideWidget(self.sidebar)
        chosen = pages or PAGES
        self.step_pages: dict[int, StepPage] = {}
        for page_id in range(SETUP_PAGE, 11):
            cls = chosen.get(page_id, StepPage)
            page = cls(app, meeting_id, None if page_id == SETUP_PAGE else Step(page_id))
            page.changed.connect(self._page_changed)
            self.step_pages[page_id] = page
            self.setPage(page_id, page)
        self.currentIdChanged.connect(self._shown)
        bridge.language_changed.connect(self._on_language)
        self.retranslate()

    def _shown(self, page_id: int) -> None:
        """A page shown again by Back or a reopen reloads: its lock and gate may have changed."""
        if self.fast_forward:
            return
        if page_id in self.step_pages:
            self.step_pages[page_id].refresh()       # its `changed` redraws the sidebar
        else:
            self.sidebar.refresh(page_id)
        self._name_next()

    def _page_changed(self, statuses: list[StepStatus]) -> None:
        self.sidebar.refresh(self.currentId(), statuses)
        self._name_next()

    def _name_next(self) -> None:
        """Next finishes the step on screen ("完成本步骤并继续"); on a step done and locked it only
        moves on ("下一步 >"): nothing is finished by it there."""
        page = self.step_pages.get(self.currentId())
        done = page is not None and page.locked()
        self.setButtonText(QWizard.WizardButton.NextButton,
                           tr("Next") + " >" if done else tr("Finish step and continue"))

    def _on_language(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self._name_next()
        self.setButtonText(QWizard.WizardButton.BackButton, "< " + tr("Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Finish meeting"))

    def done(self, result: int) -> None:
        """Finishing the meeting keeps the wizard on screen — it lives inside the main window,
        and a finished meeting is still read, printed and archived — and says it is finished.
        (QWizard validates the last page in ``done``; so does this override, instead of hiding.)"""
        if result == int(QWizard.DialogCode.Accepted) and not self.validateCurrentPage():
            return
        self.setResult(result)
        if self.currentId() in self.step_pages:
            self.step_pages[self.currentId()].refresh()      # its `changed` redraws the sidebar
        else:
            self.sidebar.refresh(self.currentId())
        if result == int(QWizard.DialogCode.Accepted) and self.app.views.meeting(self.meeting_id).finished:
            def finished() -> tuple[str, str]:
                return (tr("The meeting is finished"),
                        tr("All ten steps are done and locked. The documents and the archive stay available."))
            messages.post("info", *finished(), render=finished)

    def go_to_current(self) -> None:
        """Show the page of the step the meeting is at (after a restart or a reopen)."""
        info = self.app.views.meeting(self.meeting_id)
        target = int(info.current_step)
        # Fast-forward: one status read for every page, no page loads on the way (the window
        # opens on the current step in well under the 2 s a secretary should wait).
        statuses = {int(st.step): st for st in self.app.procedure.status(self.meeting_id)}
        for page_id, page in self.step_pages.items():
            if page_id in statuses:
                page.status = statuses[page_id]
        self.fast_forward = True
        try:
            if self.currentId() < 0:
                self.restart()
            while self.currentId() > target:
                self.back()
            guard = 0
            while self.currentId() < target and guard < 12:
                guard += 1
                before = self.currentId()
                if not self.currentPage().isComplete():
                    break
                self.next()
                if self.currentId() == before:
                    break
        finally:
            self.fast_forward = False
        current = self.step_pages.get(self.currentId())
        if current is not None:
            current.refresh()          # e.g. the step just reopened while it was on screen; redraws the sidebar
        else:
            self.sidebar.refresh(self.currentId())

    def page_for(self, step: int) -> StepPage:
        return self.step_pages[step]
