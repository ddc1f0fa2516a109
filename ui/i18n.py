"""The one translation function of the interface: ``tr("English text")``.

Chinese is the product's first language; English is complete too. Source
strings are the English text; :data:`ZH` maps them to Chinese (a test checks that
every literal passed to ``tr`` in ``ui/`` has its Chinese). The language can be
switched at run time: :data:`bridge` emits ``language_changed`` and every widget
that shows text re-applies it in its ``retranslate()``.

Engine messages (:class:`~app.errors.RuleViolation`) carry their Chinese and their
English; a refusal is shown as its headline in the current language
(:func:`headline`) with the rule id and the clause of the rules on a details line
below it (:func:`details`), never in the headline. :func:`rule_title` gives each rule
id a short title in the current language for the message bar and the dialogs.

Qt's own texts — the standard buttons of a message box or a button box, the file dialog — come
from Qt's catalogue ``qtbase_zh_CN.qm`` in PySide6's translations folder: the bridge installs it
while the language is Chinese and removes it for English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.errors import RuleViolation, Violation, details_line
from ui.catalog import RULE_TITLES, ZH


class LanguageBridge(QObject):
    """Tells every widget that the language changed (qutebrowser's message-bridge pattern)."""

    language_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.language = "zh"
        self.qt_translator: QTranslator | None = None

    def set_language(self, language: str) -> None:
        """Switch the language (also Qt's own texts, once a QApplication exists)."""
        if language not in ("zh", "en"):
            raise ValueError(f"unknown language {language!r}")
        self._apply_qt_translation(language)
        if language != self.language:
            self.language = language
            self.language_changed.emit(language)

    def _apply_qt_translation(self, language: str) -> None:
        """Install ``qtbase_zh_CN.qm`` for Chinese, remove it for English (idempotent)."""
        app = QCoreApplication.instance()
        if app is None:
            return
        if language == "zh" and self.qt_translator is None:
            translator = QTranslator(self)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load("qtbase_zh_CN", folder) and QCoreApplication.installTranslator(translator):
                self.qt_translator = translator
        elif language == "en" and self.qt_translator is not None:
            QCoreApplication.removeTranslator(self.qt_translator)
            self.qt_translator = None


bridge = LanguageBridge()


#: An English noun counted by the nearest field before it: "{places} place(s)", "{n} unmarked candidate(s)".
_COUNTED = re.compile(r"\{(\w+)\}([^{}]*?)\(s\)")


def _counted(template: str, values: dict[str, object]) -> str:
    """English only: "place(s)" becomes "place" after a count of 1 and "places" after any other —
    "1 place(s)" on screen read as a form nobody finished."""
    def counted(m: re.Match[str]) -> str:
        field, between = m.group(1), m.group(2)
        return "{" + field + "}" + between + ("" if values.get(field) == 1 else "s")
    return _COUNTED.sub(counted, template)


def tr(text: str, /, **values: object) -> str:
    """``text`` in the current language, with ``{name}`` fields filled from ``values``."""
    template = ZH.get(text, text) if bridge.language == "zh" else text
    if not values:
        return template
    if bridge.language == "en" and "(s)" in template:
        template = _counted(template, values)
    return template.format(**values)


#: Labels of Qt's own file dialog whose text changed in Qt 6 (a mnemonic was added) and which
#: ``qtbase_zh_CN.qm`` therefore no longer translates: (object name, English as in the dialog).
_FILE_DIALOG_LABELS = (("lookInLabel", "&Look in:"), ("fileTypeLabel", "Files of &type:"))


def localise_file_dialog(dialog: QWidget) -> QWidget:
    """Put the labels Qt's catalogue misses on a (non-native) QFileDialog into the language too."""
    for name, english in _FILE_DIALOG_LABELS:
        label = dialog.findChild(QLabel, name)
        if label is not None:
            label.setText(tr(english))
    return dialog


#: The title of a refusal under a rule that has no title of its own nor one for its prefix.
DEFAULT_RULE_TITLE = "Not allowed by the rules"


def rule_title(rule: str) -> str:
    """A short title for a refusal under rule id ``rule``, in the current language (never the id itself).

    The rule's own title from :data:`~ui.catalog.RULE_TITLES`, else its prefix's (``review`` for
    ``review.assign``), else :data:`DEFAULT_RULE_TITLE`; the titles are English, translated by ``ZH``.
    """
    return tr(RULE_TITLES.get(rule, RULE_TITLES.get(rule.split(".")[0], DEFAULT_RULE_TITLE)))


def headline(violation: Violation) -> str:
    """What the person reads of a violation: its message in the current language, no rule id, no clause."""
    return violation.text(bridge.language)


def details(violations: Iterable[Violation]) -> str:
    """The details line under a refusal: each rule id with its clause of the rules (``X§6``), once."""
    return tr("Details: {details}", details=details_line(violations, "；" if bridge.language == "zh" else "; "))


def refusal_text(exc: RuleViolation) -> str:
    """A refusal for a message area: one headline a line, then the details line."""
    return "\n".join([*(headline(v) for v in exc.violations), details(exc.violations)])


def joined(items: Iterable[str]) -> str:
    """Items listed in the current language: 甲、乙 in Chinese, "a, b" in English."""
    return ("、" if bridge.language == "zh" else ", ").join(items)


def bracketed(text: str) -> str:
    """A note after a name in the current language: 王敏（回避） in Chinese, "Wang Min (conflict)" in English."""
    return f"（{text}）" if bridge.language == "zh" else f" ({text})"


def role_name(role: str) -> str:
    """A panel member's role in the current language (专家, 主任委员, 副主任委员)."""
    return {"expert": tr("Expert"), "chair": tr("Chair"), "vice_chair": tr("Vice-chair")}.get(role, role)


def local(text: str) -> str:
    """An engine text (maybe :class:`app.text.Bilingual`) in the current language."""
    return getattr(text, "zh", text) if bridge.language == "zh" else str(text)
