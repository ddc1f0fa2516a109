"""The one translation function of the interface: ``tr("English text")``.

Chinese is the product's first language; English is complete too. Source
strings are the English text; :data:`ZH` maps them to Chinese (a test checks that
every literal passed to ``tr`` in ``ui/`` has its Chinese). The language can be
switched at run time: :data:`bridge` emits ``language_changed`` and every widget
that shows text re-applies it in its ``retranslate()``.

Engine messages (:class:`~app.errors.RuleViolation`) are English with a rule id;
:func:`rule_title` gives each rule id a Chinese headline for the dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.catalog import RULE_TITLES_ZH, ZH


class LanguageBridge(QObject):
    """Tells every widget that the language changed (qutebrowser's message-bridge pattern)."""

    language_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.language = "zh"

    def set_language(self, language: str) -> None:
        if language not in ("zh", "en"):
            raise ValueError(f"unknown language {language!r}")
        if language != self.language:
            self.language = language
            self.language_changed.emit(language)


bridge = LanguageBridge()


def tr(text: str, /, **values: object) -> str:
    """``text`` in the current language, with ``{name}`` fields filled from ``values``."""
    template = ZH.get(text, text) if bridge.language == "zh" else text
    return template.format(**values) if values else template


def rule_title(rule: str) -> str:
    """A short headline for a rule id, in the current language."""
    if bridge.language == "zh":
        return RULE_TITLES_ZH.get(rule, RULE_TITLES_ZH.get(rule.split(".")[0], "不符合规则"))
    return rule


def local(text: str) -> str:
    """An engine text (maybe :class:`app.text.Bilingual`) in the current language."""
    return getattr(text, "zh", text) if bridge.language == "zh" else str(text)
