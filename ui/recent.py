"""The recent meetings of the File menu (最近打开的会议), kept in the user's config folder.

One JSON file, ``recent-meetings.json`` in ``platformdirs.user_config_path("conclave")``
(``%LOCALAPPDATA%\\conclave`` on Windows), written in UTF-8 whatever the system's code page —
a Chinese Windows would otherwise write GBK and read its own paths back wrongly. Each entry is
a database path and the meeting's title as last seen; a file that no longer exists is dropped
from the list the next time it is read. A damaged list is treated as empty, never as an error:
it only saves a few clicks.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

FILE_NAME = "recent-meetings.json"

#: How many meetings the menu lists.
LIMIT = 8


def default_recent_file() -> Path:
    return platformdirs.user_config_path("conclave", appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class RecentMeeting:
    """A meeting database opened before, and its title when it was last opened."""

    path: Path
    title: str


class RecentMeetings:
    """Most recent first; at most :data:`LIMIT`; only files that still exist."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file if file is not None else default_recent_file()

    def entries(self) -> list[RecentMeeting]:
        """The list as stored, less the files that are gone (the list is rewritten without them)."""
        stored = self._read()
        present = [m for m in stored if m.path.is_file()]
        if len(present) != len(stored):
            self._write(present)
        return present

    def add(self, path: Path, title: str) -> None:
        """``path`` goes to the top (once), with its title."""
        key = _key(path)
        rest = [m for m in self._read() if _key(m.path) != key]
        self._write([RecentMeeting(Path(path).resolve(), title), *rest][:LIMIT])

    def remove(self, path: Path) -> None:
        key = _key(path)
        self._write([m for m in self._read() if _key(m.path) != key])

    def _read(self) -> list[RecentMeeting]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            return [RecentMeeting(Path(str(e["path"])), str(e.get("title", ""))) for e in data["meetings"]]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def _write(self, meetings: list[RecentMeeting]) -> None:
        data = {"meetings": [{"path": str(m.path), "title": m.title} for m in meetings]}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError:
            pass        # a read-only profile: the menu simply forgets


def _key(path: Path) -> str:
    """Windows paths compare without regard to case (``C:\\会议`` is ``c:\\会议``), others with."""
    return os.path.normcase(Path(path).resolve())
