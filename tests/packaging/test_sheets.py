"""The install sheet states facts measured on the bundle, not hoped for: the glibc it needs
(read from its programs and libraries), and Kylin V10 / UOS 20 (glibc 2.28) named as reached
only when the bundle really runs there."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from .buildscript import build

LINUX = build.TARGETS["linux"]


def test_the_sheet_names_kylin_and_uos_only_for_a_glibc_2_28_bundle() -> None:
    old = build.sheet(LINUX, "2.28")
    new = build.sheet(LINUX, "2.36")
    assert "glibc 2.28 或更新（银河麒麟 V10、统信 UOS 20" in old
    assert "glibc 2.36 或更新" in new and "不能运行本包" in new
    assert "{" not in old + new and build.version() in new


def test_the_windows_sheet_is_chinese_and_filled() -> None:
    text = build.sheet(build.TARGETS["windows"], None)
    assert "Windows 10" in text and "conclave-cli" in text and "{" not in text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF programs")
def test_the_glibc_needed_is_read_from_the_programs(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("GLIBC_2.99 in a text file is not a requirement", encoding="utf-8")
    assert build.glibc_needed(tmp_path) == "2.17"                    # nothing ELF: manylinux2014's floor
    shutil.copy(sys.executable, tmp_path / "python")
    needed = build.glibc_needed(tmp_path)
    assert needed.startswith("2.") and int(needed.split(".")[1]) > 2
