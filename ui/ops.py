"""The one way the interface changes a meeting: :func:`run_op`.

A mutation runs on a worker thread (the service call fsyncs, archives and
documents take seconds), the window stays responsive, and the outcome comes
back on the UI thread: ``on_done(result)`` on success; a refusal
(:class:`~app.errors.RuleViolation`) or an unexpected error is announced on
:data:`messages`, which the main window shows in its message bar. Nothing here
opens a modal dialog, so tests can drive every path.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.errors import RuleViolation
from ui.i18n import refusal_text, rule_title, tr


class MessageBridge(QObject):
    """Messages for the person at the screen: ``(kind, title, text)``, kind = info | refused | error."""

    message = Signal(str, str, str)
    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.running = 0
        self.history: list[tuple[str, str, str]] = []

    def post(self, kind: str, title: str, text: str) -> None:
        self.history.append((kind, title, text))
        self.message.emit(kind, title, text)

    def refusal(self, exc: RuleViolation) -> None:
        """The headlines in the person's language; the rule ids and clauses on the last line."""
        self.post("refused", rule_title(exc.rule), refusal_text(exc))


messages = MessageBridge()


class _Signals(QObject):
    done = Signal(object)
    refused = Signal(object)
    crashed = Signal(str)


class _Job(QRunnable):
    def __init__(self, job: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.job = job
        self.signals = signals

    def run(self) -> None:
        """Runs on a worker thread; reports back through queued signals."""
        try:
            result = self.job()
        except RuleViolation as exc:
            self.signals.refused.emit(exc)
        except Exception:  # an unexpected error must reach the person, not vanish in a thread
            self.signals.crashed.emit(traceback.format_exc())
        else:
            self.signals.done.emit(result)


_alive: set[_Signals] = set()


def run_op(job: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
           on_refused: Callable[[RuleViolation], None] | None = None, *,
           synchronous: bool = False, on_error: Callable[[], None] | None = None) -> None:
    """Run ``job`` off the UI thread and route its outcome back.

    ``on_error()`` is called after an unexpected error has been announced, so that the
    widget which started the job can leave its busy state (nothing else reports back then).

    ``synchronous=True`` runs it in place (used where the result is needed at
    once and the call is known to be quick, e.g. a validation before closing).
    """
    if synchronous:
        try:
            result = job()
        except RuleViolation as exc:
            messages.refusal(exc)
            if on_refused:
                on_refused(exc)
            return
        if on_done:
            on_done(result)
        return
    signals = _Signals()
    _alive.add(signals)

    def finish() -> None:
        _alive.discard(signals)
        messages.running -= 1
        messages.busy_changed.emit(messages.running > 0)

    def done(result: Any) -> None:
        finish()
        if on_done:
            on_done(result)

    def refused(exc: RuleViolation) -> None:
        finish()
        messages.refusal(exc)
        if on_refused:
            on_refused(exc)

    def crashed(trace: str) -> None:
        finish()
        messages.post("error", tr("Something went wrong"),
                      tr("The action could not be completed; nothing was changed.") + "\n\n" + trace)
        if on_error:
            on_error()

    signals.done.connect(done)
    signals.refused.connect(refused)
    signals.crashed.connect(crashed)
    messages.running += 1
    messages.busy_changed.emit(True)
    QThreadPool.globalInstance().start(_Job(job, signals))


def busy() -> bool:
    return messages.running > 0
