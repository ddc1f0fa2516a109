"""The committed locks (packaging/locks/) agree with pyproject.toml: every dependency pinned to a
version its bounds allow, every pin hash-checked, the Linux bundle kept within glibc 2.28 (PySide6
6.9.x: Kylin V10, UOS 20), the Windows ones carrying the Windows-only wheels pip leaves out when
it resolves on Linux. Cheap: reads text files only."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .buildscript import build

ROOT = Path(__file__).resolve().parents[2]
LOCKS = sorted((ROOT / "packaging" / "locks").glob("*.txt"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pins(lock: Path) -> dict[str, Version]:
    return {canonicalize_name(name): Version(v) for name, v in build.pinned(lock).items()}


def test_there_is_a_lock_per_target_and_python() -> None:
    names = {p.name for p in LOCKS}
    for target in build.TARGETS:
        assert f"bundle-{target}.txt" in names
        for python in build.WHEELHOUSE_PYTHONS:
            assert f"runtime-{target}-py{python.replace('.', '')}.txt" in names


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_a_lock_pins_every_dependency_within_its_bounds_with_hashes(lock: Path) -> None:
    pins = _pins(lock)
    for line in PYPROJECT["project"]["dependencies"]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{lock.name} lacks {req.name}"
        assert req.specifier.contains(pins[name], prereleases=True), f"{lock.name}: {name}=={pins[name]} vs {req}"
    text = lock.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text[text.index("\n" + next(iter(build.pinned(lock)))):])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    if lock.name.startswith("bundle-"):
        assert "pyinstaller" in pins
    else:
        assert {"setuptools", "wheel"} <= set(pins)


def test_the_linux_locks_keep_glibc_2_28_reach() -> None:
    for lock in LOCKS:
        if "-linux" in lock.name:
            assert _pins(lock)["pyside6"] < Version("6.10"), f"{lock.name}: PySide6 6.10+ needs glibc 2.34"


def test_the_windows_locks_carry_the_windows_only_wheels() -> None:
    for lock in LOCKS:
        if "-windows" in lock.name:
            assert {"colorama", "tzdata"} <= set(_pins(lock)), lock.name
