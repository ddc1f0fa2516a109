"""The one way the interface changes a meeting: :func:`run_op`.

A mutation runs on a worker thread (the service call fsyncs, archives and
documents take seconds), the window stays responsive, and the outcome comes
back on the UI thread: ``on_done(result)`` on success; a refusal
(:class:`~app.errors.RuleViolation`) or an unexpected error is announced on
:data:`messages`, which the main window shows in its message bar. Nothing here
opens a modal dialog, so tests can drive every path.

An unexpected error is told in a plain sentence ("出现意外错误，操作未完成…"); its traceback
is never shown on screen but travels as the message's *details*, which the message bar's
"复制详细信息" button copies for whoever supports the office. The widget that started the job
is told through ``on_error`` so that it leaves its busy state.

A message lasts only while it is true: :meth:`MessageBridge.clear` withdraws it (the window calls
it when the person moves to another step, a page when its next action succeeds), and a message
posted with a ``render`` — a refusal keeps its violations, not their text — is written again in
the other language when the language is switched.
"""

from __future__ import annotations

import platform
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app import __version__
from app.errors import RuleViolation, file_refusal
from ui.i18n import refusal_text, rule_title, tr

#: Writes a message again in the current language: ``() -> (title, text)``.
Render = Callable[[], tuple[str, str]]


class MessageBridge(QObject):
    """Messages for the person at the screen: ``(kind, title, text, details)``, kind = info |
    refused | error; ``details`` (the traceback of an unexpected error) is for copying, not showing."""

    message = Signal(str, str, str, str)
    refused = Signal(object)       # the RuleViolation itself, before its message: a screen may offer a way on
    cleared = Signal()             # the message on screen no longer holds (the person moved on, or it was done)
    busy_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.running = 0
        self.history: list[tuple[str, str, str, str]] = []
        #: How to write the last message again in the current language — ``() -> (title, text)`` —
        #: or None when it was posted as finished text (then it stays as it was written).
        self.render: Render | None = None

    def post(self, kind: str, title: str, text: str, details: str = "", *, render: Render | None = None) -> None:
        """Tell the person; ``render`` writes ``(title, text)`` again after a language switch."""
        self.render = render
        self.history.append((kind, title, text, details))
        self.message.emit(kind, title, text, details)

    def clear(self) -> None:
        """The message on screen is out of date: the person moved to another step, or the next
        action succeeded. (The history keeps it.)"""
        self.render = None
        self.cleared.emit()

    def last_told(self) -> Callable[[], str]:
        """The last message's text, written in the language of the moment it is called: for a
        dialog that tells an unexpected error beside its own buttons what the message bar says of it
        (the plain sentence, or which file and why)."""
        render, text = self.render, (self.history[-1][2] if self.history else unexpected_text())
        return (lambda: render()[1]) if render is not None else (lambda: text)

    def last_details(self) -> str:
        """The details of the last message (an unexpected error's traceback, for copying)."""
        return self.history[-1][3] if self.history else ""

    def unexpected(self, trace: str, told: RuleViolation | None = None) -> None:
        """An unexpected error: a plain sentence on screen, the traceback in the details. ``told``:
        what the error was, when it can be said — a file or folder the system refused
        (:func:`system_refusal`): its path and why, not "an unexpected error" (a full disk, a
        read-only USB stick, a folder that was removed); the traceback is still in the details."""
        if told is not None:
            self.post("error", rule_title(told.rule), refusal_text(told), error_details(trace),
                      render=lambda: (rule_title(told.rule), refusal_text(told)))
            return
        self.post("error", tr("Unexpected error"), unexpected_text(), error_details(trace),
                  render=lambda: (tr("Unexpected error"), unexpected_text()))

    def refusal(self, exc: RuleViolation) -> None:
        """The headlines in the person's language; the rule ids and clauses on the last line."""
        self.refused.emit(exc)
        self.post("refused", rule_title(exc.rule), refusal_text(exc),
                  render=lambda: (rule_title(exc.rule), refusal_text(exc)))


def system_refusal(exc: BaseException) -> RuleViolation | None:
    """An error of the system that names a path (:class:`OSError` with a file name) as the refusal the
    command line prints for it (:func:`app.errors.file_refusal`): which file or folder, and why; None
    for any other error."""
    if isinstance(exc, OSError) and exc.filename is not None:
        return file_refusal(exc)
    return None


def unexpected_text() -> str:
    return tr("An unexpected error occurred. The action was not completed and nothing was changed. "
              "Press \"Copy details\" and send the text to whoever supports the program.")


def error_details(trace: str) -> str:
    """The traceback with what support needs to read it: program, Python, Qt and system versions."""
    from PySide6 import __version__ as pyside

    return (f"Conclave {__version__} · Python {platform.python_version()} · PySide6 {pyside} · "
            f"{platform.platform()}\n\n{trace}")


messages = MessageBridge()


def install_excepthook() -> None:
    """An exception raised in a slot or an event handler (outside :func:`run_op`) is told like
    any unexpected error — on a Windows laptop without a console it would otherwise vanish."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(kind, Exception):
            previous(kind, value, tb)
            return
        messages.unexpected("".join(traceback.format_exception(kind, value, tb)), system_refusal(value))

    sys.excepthook = hook


class _Signals(QObject):
    done = Signal(object)
    refused = Signal(object)
    crashed = Signal(str, object)      # the traceback, and what the error was when it can be said


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
        except Exception as exc:  # an unexpected error must reach the person, not vanish in a thread
            self.signals.crashed.emit(traceback.format_exc(), system_refusal(exc))
        else:
            self.signals.done.emit(result)


_alive: set[_Signals] = set()


def _refusal(exc: RuleViolation, said_here: bool) -> None:
    if said_here:
        messages.refused.emit(exc)
    else:
        messages.refusal(exc)


def run_op(job: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
           on_refused: Callable[[RuleViolation], None] | None = None, *,
           synchronous: bool = False, on_error: Callable[[], None] | None = None, said_here: bool = False) -> None:
    """Run ``job`` off the UI thread and route its outcome back.

    ``on_error()`` is called after an unexpected error has been announced, so that the
    widget which started the job can leave its busy state (nothing else reports back then).

    ``said_here=True``: a refusal is shown by the widget itself (``on_refused``), not on the
    window's message bar too — the expert terminal and the kiosk, whose refusals are the expert's
    and must not wait on the secretary's (hidden) window for the staff to read after the kiosk.

    ``synchronous=True`` runs it in place (used where the result is needed at
    once and the call is known to be quick, e.g. a validation before closing).
    """
    if synchronous:
        try:
            result = job()
        except RuleViolation as exc:
            _refusal(exc, said_here)
            if on_refused:
                on_refused(exc)
            return
        except Exception as exc:
            messages.unexpected(traceback.format_exc(), system_refusal(exc))
            if on_error:
                on_error()
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
        _refusal(exc, said_here)
        if on_refused:
            on_refused(exc)

    def crashed(trace: str, told: RuleViolation | None) -> None:
        finish()
        messages.unexpected(trace, told)
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
