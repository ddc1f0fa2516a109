"""``packaging/build.py`` as a module for the tests (it is a script, not a package: the folder is
named like PyPI's ``packaging``, so it is loaded from its file)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PATH = Path(__file__).resolve().parents[2] / "packaging" / "build.py"


def _load():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("conclave_packaging_build", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module           # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


build = _load()
