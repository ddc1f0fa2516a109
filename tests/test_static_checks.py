"""The code's own checks, run by the test command so that CI fails on any finding:
ruff (style and likely bugs), mypy (types of app/ and ui/) and import-linter (the
boundaries written in pyproject.toml: no Qt in the core, no SQL outside storage,
services and views, the interface only through services and views, the layers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run(sys.executable, "-m", "ruff", "check", "app", "ui", "tests", "packaging")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_app_and_ui() -> None:
    """Incremental, with mypy's own cache in the checkout (``.mypy_cache``, which it keeps out of git):
    a run after a change re-checks what the change touches — half a second instead of the whole
    program's 13 CPU-seconds on every test run. A fresh clone (CI) has no cache and checks
    everything; the cache is keyed by each file's content and mypy's version and options."""
    done = _run(sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache"))   # files, settings: pyproject
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("import-linter is not installed (pip install -e '.[test]')")
    done = _run(lint, "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_import_linter_sees_a_broken_boundary(tmp_path: Path) -> None:
    """The contracts are not vacuous: in a copy of the code, a ui module that imports the
    storage is reported."""
    for package in ("app", "ui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "ui" / "boundary_probe.py").write_text("import app.storage.schema  # noqa: F401\n", encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None
    done = subprocess.run([lint, "--no-cache"], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                          timeout=600, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert done.returncode != 0
    assert "ui.boundary_probe -> app.storage.schema" in done.stdout
