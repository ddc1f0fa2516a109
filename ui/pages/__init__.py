"""The wizard's pages, one module per page, discovered here.

A page module defines ``PAGE_ID`` (0 = setup, 1–10 = the steps) and ``Page``, a
:class:`ui.wizard.StepPage` subclass. Steps without a module get the plain
:class:`StepPage` (checklist and gate only).
"""

from __future__ import annotations

import importlib
import pkgutil

from ui.wizard import StepPage

PAGES: dict[int, type[StepPage]] = {}

for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    if hasattr(_module, "PAGE_ID") and hasattr(_module, "Page"):
        PAGES[int(_module.PAGE_ID)] = _module.Page
