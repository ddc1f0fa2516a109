"""Chinese for every interface string, merged from the modules of this package.

Each area of the interface keeps its strings in its own module here (a dict
``ZH`` of English → Chinese, and optionally ``RULE_TITLES``: rule id → the short
English title of its refusals, whose Chinese is in ``ZH`` too), so that people
working on different pages never edit the same file.
"""

from __future__ import annotations

from types import ModuleType

from ui.catalog import (
    backup,
    calendar,
    common,
    corrections,
    deliberation,
    documents,
    facts_people,
    facts_plan,
    facts_steps,
    key,
    kiosk,
    preparation,
    terminal,
    window,
)

ZH: dict[str, str] = {}
RULE_TITLES: dict[str, str] = {}

#: Every module of strings, by area: the setup and steps 1–4, steps 5–10, documents, the kiosk,
#: the window's own (meeting files, errors), the calendar, the setup's corrections, the committee key,
#: the facts the papers print (the plan's, the candidates' and the pool experts', those recorded during
#: the meeting).
MODULES: tuple[ModuleType, ...] = (common, preparation, deliberation, documents, kiosk, window, calendar, corrections,
                                   key, facts_plan, facts_people, facts_steps, backup, terminal)

for _module in MODULES:
    for _key, _value in getattr(_module, "ZH", {}).items():
        if _key in ZH and ZH[_key] != _value:
            raise RuntimeError(f"ui.catalog: {_key!r} translated twice differently ({_module.__name__})")
        ZH[_key] = _value
    for _key, _value in getattr(_module, "RULE_TITLES", {}).items():
        if _key in RULE_TITLES and RULE_TITLES[_key] != _value:
            raise RuntimeError(f"ui.catalog: rule {_key!r} titled twice differently ({_module.__name__})")
        RULE_TITLES[_key] = _value
