"""The heads file: the audit chain's head kept in a second place the chain does not store.

A hash chain proves only that it is consistent with itself: cut events off its end and move
``meta.audit_head`` back, or recompute every hash from the first event on, and the chain is
consistent again. So after every committed write the new head (``seq:hash``) is appended to
``<database>.heads`` beside the file and forced to disk (``fsync``); nothing ever rewrites a line.
:func:`check` then compares the chain with it: every head noted must be an event of the chain with
that hash, and the newest noted head must be the chain's head — a shorter chain is a truncation, a
different hash a rewrite, events beyond the last noted head were appended outside Conclave.

A head is noted just after its commit, so a reader can see a commit whose head is not noted yet:
whoever compares the two reads the heads file *before* its snapshot of the chain (every head noted
by then is committed and in the snapshot) and, when the chain goes on past the last head noted,
waits a moment for the writer to note it (:func:`read_through`) before calling the events unnoted.

The file travels with its database: a snapshot, a backup and the archive copy carry it
(:func:`copy`), a restore puts it back, and the minutes and tally sheets print the head on paper.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.text import Bilingual, bi

SUFFIX = ".heads"


def path_for(db: Path | str) -> Path:
    db = Path(db)
    return db.with_name(db.name + SUFFIX)


def append(db: Path | str, seq: int, digest: str) -> None:
    """Note one head, durably: appended, flushed and fsync'd (``os.fsync`` works on Windows too)."""
    with open(path_for(db), "a", encoding="ascii", newline="\n") as f:
        f.write(f"{seq}:{digest}\n")
        f.flush()
        os.fsync(f.fileno())


def read(db: Path | str) -> list[tuple[int, str]] | None:
    """The heads noted for ``db``, oldest first; None when there is no heads file. A torn last
    line (the program stopped while writing it) is ignored; any other malformed line is kept as
    seq -1 so that :func:`check` reports it."""
    p = path_for(db)
    try:
        text = p.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    lines = text.split("\n")
    complete, torn = lines[:-1], lines[-1]
    del torn                                   # no newline yet: not written through
    heads: list[tuple[int, str]] = []
    for line in complete:
        seq, sep, digest = line.partition(":")
        if not sep or not seq.isdigit() or len(digest) != 64:
            heads.append((-1, line[:80]))
            continue
        heads.append((int(seq), digest))
    return heads


#: How long a reader waits for the head of a commit it saw to be noted (an ``fsync`` away, normally
#: milliseconds) before it calls the events unnoted: appended outside Conclave.
SETTLE_SECONDS = 3.0


def read_through(db: Path | str, seq: int, settle: float | None = None) -> list[tuple[int, str]] | None:
    """The heads noted for ``db`` up to event ``seq``, once ``seq`` (or a later head) is noted —
    waiting up to ``settle`` seconds for a write that committed ``seq`` to note its head; after
    that, what is noted (a trail that went on outside Conclave is never noted)."""
    deadline = time.monotonic() + (SETTLE_SECONDS if settle is None else settle)
    while True:
        noted = read(db)
        if noted is None or any(s >= seq for s, _ in noted) or time.monotonic() >= deadline:
            return None if noted is None else [(s, d) for s, d in noted if s <= seq]
        time.sleep(0.01)


def stopped_before_noting(noted: list[tuple[int, str]] | None, seq: int, prev_digest: str | None) -> bool:
    """The trail's last event (``seq``) is the only one not noted, and the head noted last is the
    event before it (``prev_digest``): the program stopped in the moment between committing an
    event and noting its head — a power cut there. A writable opening notes that head itself and
    records that it did (:meth:`app.storage.store.Store`); two events unnoted are never a stop."""
    return noted is not None and len(noted) > 0 and noted[-1] == (seq - 1, prev_digest)


def start(db: Path | str, seq: int, digest: str) -> None:
    """Begin the heads file of a database that has none (one written before the heads file existed)
    with its current head. A new, empty database beside the heads file of a file deleted before it
    sets that heads file aside (``….heads.orphan-<time>``): its heads are not this trail's."""
    p = path_for(db)
    if not seq:
        if p.exists() and p.stat().st_size:
            p.rename(p.with_name(f"{p.name}.orphan-{time.strftime('%Y%m%d-%H%M%S')}"))
        return
    if not p.exists():
        append(db, seq, digest)


def copy(src_db: Path | str, dest_db: Path | str, upto: int | None = None) -> None:
    """Write ``dest_db``'s heads file from ``src_db``'s, keeping the heads up to ``upto`` (the
    copy's own head: a copy taken while the source went on is not ahead of itself)."""
    heads = read(src_db) if upto is None else read_through(src_db, upto)
    target = path_for(dest_db)
    if heads is None:
        target.unlink(missing_ok=True)
        return
    kept = [(s, d) for s, d in heads if s >= 0 and (upto is None or s <= upto)]
    with open(target, "w", encoding="ascii", newline="\n") as f:
        f.write("".join(f"{s}:{d}\n" for s, d in kept))
        f.flush()
        os.fsync(f.fileno())


@dataclass(frozen=True)
class HeadsReport:
    ok: bool
    problem: Bilingual | None = None
    noted: int = 0            # heads in the file
    unnoted: bool = False     # the trail goes on past the last head noted


def check(heads: list[tuple[int, str]] | None, chain: Mapping[int, str], head_seq: int) -> HeadsReport:
    """Compare the heads noted with the chain (``seq -> hash`` of every event, ``head_seq`` its newest)."""
    if heads is None:
        if head_seq == 0:
            return HeadsReport(True)
        return HeadsReport(False, bi(
            "the heads file beside the database is missing: cutting events off the end of the trail or "
            "rewriting it cannot be ruled out",
            "数据库旁的审计头记录文件（.heads）缺失：无法排除审计日志被截短或整体重写"))
    for seq, digest in heads:
        if seq < 0:
            return HeadsReport(False, bi(f"the heads file has a line that is not a head ({digest!r})",
                                         f"审计头记录文件中有一行不是审计头（{digest!r}）"), len(heads))
        found = chain.get(seq)
        if found is None:
            return HeadsReport(False, bi(
                f"the heads file noted event #{seq} but the trail ends at #{head_seq}: events were cut off "
                "the end of the trail (truncated)",
                f"审计头记录文件记有第{seq}号事件，而审计日志只到第{head_seq}号：审计日志末尾的事件被删除（截短）"),
                len(heads))
        if found != digest:
            return HeadsReport(False, bi(
                f"event #{seq} is not the event the heads file noted (hash {digest[:16]}…, found "
                f"{found[:16]}…): the trail was rewritten",
                f"第{seq}号事件与审计头记录文件所记不符（应为{digest[:16]}…，实为{found[:16]}…）：审计日志被重写"),
                len(heads))
    last = heads[-1][0] if heads else 0
    if last != head_seq:
        if head_seq == last + 1:
            return HeadsReport(False, bi(
                f"event #{head_seq} is not noted in the heads file: it was added outside Conclave, or the "
                "program stopped between writing it and noting it (a power cut); if so, opening the meeting in "
                "Conclave notes it and records that in the trail",
                f"第{head_seq}号事件未记入审计头记录文件：该事件不是通过本系统添加的，或程序在写入该事件后、记录审计头前"
                "中断（如断电）；若属后者，在本系统中打开会议即可补记，并在审计日志中留下记录"),
                len(heads), unnoted=True)
        return HeadsReport(False, bi(
            f"the trail goes on to #{head_seq} after the last head noted (#{last}): events were added "
            "outside Conclave",
            f"审计日志在最后记录的审计头（第{last}号）之后还有事件（到第{head_seq}号）：有事件不是通过本系统添加的"),
            len(heads), unnoted=True)
    return HeadsReport(True, None, len(heads))
