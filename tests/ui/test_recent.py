"""The recent meetings list: newest first, at most LIMIT, files that are gone dropped, UTF-8 on disk."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ui.recent import LIMIT, RecentMeetings, default_recent_file


def _meeting(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def test_newest_first_once_each_and_at_most_the_limit(tmp_path: Path) -> None:
    recent = RecentMeetings(tmp_path / "cfg" / "recent.json")
    assert recent.entries() == []
    paths = [_meeting(tmp_path, f"m{i}.sqlite3") for i in range(LIMIT + 2)]
    for i, path in enumerate(paths):
        recent.add(path, f"会议{i}")
    recent.add(paths[3], "会议3（改名）")
    entries = recent.entries()
    assert len(entries) == LIMIT
    assert [e.path for e in entries[:3]] == [paths[3].resolve(), paths[-1].resolve(), paths[-2].resolve()]
    assert entries[0].title == "会议3（改名）" and [e.path for e in entries].count(paths[3].resolve()) == 1


def test_files_that_are_gone_are_dropped_and_forgotten(tmp_path: Path) -> None:
    file = tmp_path / "recent.json"
    recent = RecentMeetings(file)
    kept, gone = _meeting(tmp_path, "kept.sqlite3"), _meeting(tmp_path, "gone.sqlite3")
    recent.add(kept, "甲")
    recent.add(gone, "乙")
    gone.unlink()
    assert [e.path for e in recent.entries()] == [kept.resolve()]
    assert [m["path"] for m in json.loads(file.read_text("utf-8"))["meetings"]] == [str(kept.resolve())]


def test_chinese_paths_and_titles_are_written_as_utf8(tmp_path: Path) -> None:
    file = tmp_path / "recent.json"
    folder = tmp_path / "职称评审"
    folder.mkdir()
    path = _meeting(folder, "2026年度卫生系列.sqlite3")
    RecentMeetings(file).add(path, "2026年度卫生系列中级职称评审")
    raw = file.read_bytes()
    assert "2026年度卫生系列中级职称评审".encode() in raw and "职称评审".encode() in raw   # not \\u-escaped
    assert RecentMeetings(file).entries()[0].path == path.resolve()


def test_a_damaged_list_is_an_empty_one(tmp_path: Path) -> None:
    file = tmp_path / "recent.json"
    for damage in (b"{not json", b'{"meetings": 3}', "乱码".encode("gbk"), b'{"other": []}'):
        file.write_bytes(damage)
        assert RecentMeetings(file).entries() == []
    path = _meeting(tmp_path, "m.sqlite3")
    RecentMeetings(file).add(path, "会议")
    assert [e.title for e in RecentMeetings(file).entries()] == ["会议"]


def test_it_lives_in_the_user_config_folder(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert default_recent_file() == tmp_path / "config" / "conclave" / "recent-meetings.json"


def test_the_program_starts_on_the_meeting_opened_last(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services import default_db_path
    from ui.main import _start_path

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    no_db = argparse.Namespace(db=None)
    assert _start_path(no_db) == default_db_path()
    last = _meeting(tmp_path, "last.sqlite3")
    RecentMeetings().add(last, "上次的会议")
    assert _start_path(no_db) == last.resolve()
    assert _start_path(argparse.Namespace(db=str(tmp_path / "x.sqlite3"))) == tmp_path / "x.sqlite3"
    last.unlink()
    assert _start_path(no_db) == default_db_path()
