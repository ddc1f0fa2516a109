"""Chinese for every interface string, merged from the modules of this package.

Each area of the interface keeps its strings in its own module here (a dict
``ZH`` of English → Chinese, and optionally ``RULE_TITLES_ZH``), so that people
working on different pages never edit the same file.
"""

from __future__ import annotations

import importlib
import pkgutil

ZH: dict[str, str] = {}
RULE_TITLES_ZH: dict[str, str] = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _key, _value in getattr(_module, "ZH", {}).items():
        if _key in ZH and ZH[_key] != _value:
            raise RuntimeError(f"ui.catalog: {_key!r} translated twice differently ({_info.name})")
        ZH[_key] = _value
    RULE_TITLES_ZH.update(getattr(_module, "RULE_TITLES_ZH", {}))
