"""Backing up and restoring a meeting, and the start-up check (备份、恢复与启动检查).

A meeting lives in three places beside each other: the database file, the committee key
(``<db stem>.committee-key.p12`` and its public root ``….root.pem``) and the archive folders the
meeting wrote (``archive/meeting-N-YEAR`` beside the database, or wherever step 9 was pointed —
``meeting.archived_path``). Losing any of them loses the meeting: without the key no further
paper can be sealed, without the archive the sealed papers are gone. A backup holds all three in
one encrypted file (:mod:`app.storage.backup_file`): a consistent snapshot of the database
(``VACUUM INTO``, never a copy of the live file and its WAL), the key files, the archive, and a
manifest of every member's SHA-256 and the meeting it is (committee, title, id and the hash of
its first audit event — its *origin*, which tells two meetings of the same name apart).

A restore checks everything before it replaces anything: it decrypts into a folder beside the
target (the same disk, so the files can be renamed into place), checks every member against the
manifest, runs ``PRAGMA integrity_check`` and the audit-chain verification on the restored
database, refuses a database from a newer version, and refuses to replace a *different* meeting
unless told to (``force``). Only then are the files moved into place with ``os.replace``; what was
there is never deleted but kept as ``<name>.before-restore-<time>`` (the database with its WAL),
so a restore can itself be undone by hand. A key file or an archive folder identical to the one
in the backup is left as it is. Archive folders inside the database's folder go back to the same
place relative to the restored database; one that was elsewhere comes back as
``archive/<its name>`` beside it (the database's recorded ``archived_path`` is not rewritten: the
restored database is the one that was backed up, byte for byte in what it records).

A backup is a read: it adds no audit event (a meeting whose file is damaged must still be
backed up, and the restored meeting is then exactly the one backed up — ``export-record``
byte-identical).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from app import __version__
from app.errors import RuleViolation
from app.rules.passphrase import require_strong
from app.services.documents import key_path_for
from app.storage import heads
from app.storage.backup_file import SUFFIX, decrypt_file, encrypt_file, read_header, refuse
from app.storage.health import Health, check_connection, check_file, read_only_uri
from app.storage.schema import SCHEMA_VERSION
from app.text import Bilingual, bi

if TYPE_CHECKING:
    from app.services import Conclave

__all__ = ["SUFFIX", "BackupReport", "BackupService", "FoundBackup", "Health", "MeetingName", "PreparedRestore",
           "RestoreReport", "find_backups", "prepare_restore", "restore"]

MANIFEST = "MANIFEST.json"
DATABASE = "database.sqlite3"
KEY = "committee-key.p12"
ROOT = KEY + ".root.pem"
HEADS = DATABASE + heads.SUFFIX   # the audit trail's heads file (app.storage.heads), beside the database
BESIDE = "beside/"      # archive folders, by their path relative to the database's folder

Passphrase = bytes | str


@dataclass(frozen=True)
class MeetingName:
    """How a meeting is named to a person: its id, committee and title."""

    id: int
    committee: str
    title: str

    def __str__(self) -> str:
        return f"{self.committee} · {self.title} (#{self.id})"


@dataclass(frozen=True)
class Identity:
    """The meetings a database holds and its origin (hash of audit event #1; "" for an empty file)."""

    meetings: tuple[MeetingName, ...]
    origin: str

    def describe(self) -> str:
        return "; ".join(str(m) for m in self.meetings) or "(no meeting)"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    files: int
    meetings: tuple[MeetingName, ...]
    events: int
    health: Health


@dataclass(frozen=True)
class RestoreReport:
    db: Path
    meetings: tuple[MeetingName, ...]
    events: int
    restored: tuple[Path, ...]
    kept: tuple[Path, ...]          # what was there before, renamed …before-restore-<time>
    created: str


@dataclass(frozen=True)
class FoundBackup:
    """A backup file found on disk; ``same_meeting``: its origin is the open meeting's."""

    path: Path
    created: str
    same_meeting: bool


class BackupService:
    """Backups of the meeting database open in ``services``, and its start-up check."""

    def __init__(self, services: Conclave) -> None:
        self.services = services
        self.store = services.store

    def check(self) -> Health:
        """The start-up check: ``PRAGMA quick_check``, the audit chain and its heads file (read-only, quick)."""
        with self.store.read() as conn:
            return check_connection(conn, path=self.store.path)

    def check_deep(self) -> Health:
        """The full check, as ``conclave verify-db``: also every table rebuilt from the trail and
        compared, and every closed round's box recounted (reads every event: seconds on a large meeting)."""
        with self.store.read() as conn:
            return check_connection(conn, path=self.store.path, deep=True, heads_required=True)

    def origin(self) -> str:
        return _origin_of(self.store.path)

    def suggested_name(self) -> str:
        """``<db stem>-<YYYYMMDD-HHMM>.conclave-backup``: sorts by time, names its meeting file."""
        return f"{self.store.path.stem}-{dt.datetime.now():%Y%m%d-%H%M}{SUFFIX}"

    def archive_folders(self) -> dict[str, Path]:
        """Archive folders of the meeting that exist, by their path relative to the database's folder."""
        base = self.store.path.parent
        recorded = [Path(m.archived_path) for m in self.services.views.meetings() if m.archived_path]
        found: dict[str, Path] = {}
        for folder in [*recorded, *sorted((base / "archive").glob("meeting-*"))]:
            if not folder.is_dir() or ".before-restore-" in folder.name:
                continue
            try:
                rel = folder.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                rel = f"archive/{folder.name}"
            found.setdefault(rel, folder)
        return found

    def backup(self, out: Path, passphrase: Passphrase, *, replace: bool = False) -> BackupReport:
        """Write the encrypted backup ``out``. Refused when ``out`` exists (unless ``replace``), is
        inside a folder the backup holds, or when the passphrase is weak."""
        out = Path(out)
        secret = _as_bytes(passphrase)
        if not secret:
            raise refuse("backup.passphrase", "the backup needs a passphrase", "备份须设置口令")
        meetings = self.services.views.meetings()
        require_strong(secret, self.services.documents.passphrase_words(meetings[0].id) if meetings else [])
        if out.exists() and not replace:
            raise refuse("backup.exists", f"{out} already exists; choose a new file name (nothing was written)",
                         f"{out}已存在；请另选文件名（未写入任何内容）")
        if out.resolve() == self.store.path.resolve():
            raise refuse("backup.exists", f"{out} is the meeting database itself", f"{out}就是会议数据库本身")
        folder = self.store.path.parent
        staging = Path(tempfile.mkdtemp(prefix=".conclave-backup-", dir=folder))
        try:
            snapshot = self.services.snapshot(staging / DATABASE)
            health = check_file(snapshot, full=False)
            identity = identity_of(snapshot)
            members: dict[str, Path] = {DATABASE: snapshot}
            if heads.path_for(snapshot).is_file():
                members[HEADS] = heads.path_for(snapshot)
            key = key_path_for(self.store.path)
            for name, path in ((KEY, key), (ROOT, root_pem_path_for(key))):
                if path.is_file():
                    members[name] = path
            archives = self.archive_folders()
            for rel, tree in archives.items():
                for file in sorted(p for p in tree.rglob("*") if p.is_file()):
                    members[f"{BESIDE}{rel}/{file.relative_to(tree).as_posix()}"] = file
            created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            manifest = {
                "format": 1, "program": f"conclave {__version__}", "created": created,
                "database": self.store.path.name, "origin": identity.origin,
                "meetings": [{"id": m.id, "committee": m.committee, "title": m.title} for m in identity.meetings],
                "audit": {"events": health.events, "head": health.head},
                "archives": sorted(archives),
                "files": {name: {"sha256": _sha256(path), "size": path.stat().st_size}
                          for name, path in members.items()},
            }
            tar_path = staging / "backup.tar"
            with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
                for name, path in members.items():
                    tar.add(path, arcname=name, recursive=False)
            encrypt_file(tar_path, out, secret, origin=identity.origin, created=created)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return BackupReport(out, out.stat().st_size, len(members), identity.meetings, health.events, health)

    def latest_backups(self, folders: Iterable[Path] = ()) -> list[FoundBackup]:
        """Backup files (``*.conclave-backup``) in the database's folder and ``folders`` (removable
        drives), newest first, this meeting's first."""
        return find_backups([self.store.path.parent, *folders], self.origin())


def unsound(path: Path, folders: Iterable[Path] = ()) -> RuleViolation | None:
    """The start-up check of the meeting database ``path`` before a command writes to it: None when
    sound, else the refusal (``storage.check``) saying what is wrong and naming the latest backup
    of this meeting found beside it or in ``folders``, with the command that restores it."""
    health = check_file(path, full=False)
    if health.ok:
        return None
    problem = health.problems[0]
    found = find_backups([Path(path).parent, *folders], _origin_of(Path(path)))
    if found:
        latest = found[0].path
        hint_en = f"the latest backup is {latest} — restore it with: conclave restore {latest} --db {path}"
        hint_zh = f"最近的备份是{latest}，可用以下命令恢复：conclave restore {latest} --db {path}"
    else:
        hint_en = "no backup (*.conclave-backup) was found beside it; restore one with conclave restore FILE --db PATH"
        hint_zh = "其旁未找到备份文件（*.conclave-backup）；请用 conclave restore 文件 --db 路径 恢复备份"
    return RuleViolation.single("storage.check", bi(
        f"the meeting database {path} is not sound: {problem}; nothing was written — {hint_en}",
        f"会议数据库{path}检查未通过：{_zh(problem)}；未写入任何内容——{hint_zh}"))


def find_backups(folders: Iterable[Path], origin: str = "") -> list[FoundBackup]:
    """Backup files directly in ``folders``; this meeting's (``origin``) first, then newest first.
    A file whose header cannot be read is left out."""
    found: dict[Path, FoundBackup] = {}
    for folder in folders:
        try:
            candidates = sorted(Path(folder).glob(f"*{SUFFIX}"))
        except OSError:
            continue
        for path in candidates:
            try:
                header = read_header(path)
            except RuleViolation:
                continue
            found.setdefault(path.resolve(), FoundBackup(path, header.created, bool(origin)
                                                         and header.origin == origin))
    return sorted(found.values(), key=lambda b: (not b.same_meeting, _negated(b.created)))


def _negated(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


@dataclass
class PreparedRestore:
    """A backup decrypted and checked beside its target, not yet in place: :meth:`commit` puts it
    there, :meth:`discard` forgets it. (The window checks off the interface thread, then closes
    the meeting and commits.)"""

    backup: Path
    db: Path
    staging: Path
    manifest: dict[str, Any]
    meetings: tuple[MeetingName, ...]
    events: int
    replaces: Identity | None          # the meeting at the target now, if any
    foreign: bool                       # … and it is another meeting (restored only with force)
    moves: list[tuple[Path, Path]] = field(default_factory=list)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> RestoreReport:
        """Move the restored files into place (``os.replace``), keeping what was there as
        ``….before-restore-<time>``; on failure everything is put back and nothing changes."""
        from app.storage.lock import WriterLock

        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept: list[tuple[Path, Path]] = []
        placed: list[Path] = []
        try:
            # the meeting being replaced must not be open for writing elsewhere (a window, a command):
            # its writer would go on writing into the file set aside
            lock = WriterLock.acquire(self.db)
        except BaseException:
            self.discard()
            raise
        try:
            for source, target in self.moves:
                if target.exists() and _same_content(source, target):
                    continue
                for old, aside in _aside(target, stamp):
                    os.replace(old, aside)
                    kept.append((old, aside))
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
                placed.append(target)
        except OSError as exc:
            for target in reversed(placed):
                shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
            for old, aside in reversed(kept):
                os.replace(aside, old)
            raise refuse("backup.replace", f"cannot put the restored files in place ({exc}); the meeting at "
                         f"{self.db} was left as it was", f"无法将恢复的文件放到位（{exc}）；{self.db}处的会议保持原样"
                         ) from None
        finally:
            lock.release()
            self.discard()
        return RestoreReport(self.db, self.meetings, self.events, tuple(placed), tuple(a for _, a in kept),
                             str(self.manifest.get("created", "")))


def prepare_restore(backup: Path, db: Path, passphrase: Passphrase, *, force: bool = False) -> PreparedRestore:
    """Decrypt ``backup`` beside ``db`` and check it all; refused — with nothing at ``db`` changed —
    for a file that is not a backup, damaged, truncated, opened with the wrong passphrase, whose
    database fails its checks, or (without ``force``) of another meeting than the one at ``db``."""
    backup, db = Path(backup), Path(db)
    if not backup.is_file():
        raise refuse("backup.missing", f"no backup file at {backup}", f"{backup}处没有备份文件")
    read_header(backup)                     # not a backup, or a damaged header: refused before the passphrase
    made = [p for p in (db.parent, *db.parent.parents) if not p.exists()]
    db.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".conclave-restore-", dir=db.parent))
    try:
        tar_path = staging / "backup.tar"
        with tar_path.open("wb") as out:
            decrypt_file(backup, _as_bytes(passphrase), out)
        files = staging / "files"
        manifest = _extract(tar_path, files, backup.name)
        tar_path.unlink()
        restored_db = files / DATABASE
        health = check_file(restored_db, full=True)
        if not health.ok:
            raise refuse("backup.check", f"the database in {backup.name} fails its check: {health.problems[0]}; "
                         "nothing was restored", f"{backup.name}中的数据库未通过检查：{_zh(health.problems[0])}；"
                         "未恢复任何内容")
        version = _schema_version(restored_db)
        if version > SCHEMA_VERSION:
            raise refuse("storage.newer", f"{backup.name} holds a database of a newer Conclave (schema {version}, "
                         f"this one reads up to {SCHEMA_VERSION}); restore it with that version",
                         f"{backup.name}中的数据库由更新版本的本系统写入（数据结构第{version}版，本版本最高只能读取"
                         f"第{SCHEMA_VERSION}版）；请用该版本恢复")
        restored = identity_of(restored_db)
        current = _current_identity(db)
        foreign = bool(current and current.origin and current.origin != restored.origin)
        if foreign and not force:
            assert current is not None
            raise refuse("backup.foreign", f"{backup.name} is the backup of another meeting ({restored.describe()}) "
                         f"than the one at {db} ({current.describe()}); nothing was changed — restore it into another "
                         "file, or replace this meeting on purpose with --force (it is kept as ….before-restore-…)",
                         f"{backup.name}是另一个会议（{restored.describe()}）的备份，与{db}处的会议"
                         f"（{current.describe()}）不同；未作任何更改——请恢复到另一个文件，或确需替换时使用 --force"
                         "（原会议将保留为 ….before-restore-…）")
        if (files / KEY).is_file():
            os.chmod(files / KEY, 0o600)       # the private key, as the key file was written
        key = key_path_for(db)
        if not (files / HEADS).is_file():   # a backup made before the heads file: it starts at the restored head
            heads.start(restored_db, health.head_seq, health.head)
            heads.path_for(restored_db).touch()
        moves = [(restored_db, db), (files / HEADS, heads.path_for(db))]
        for name, target in ((KEY, key), (ROOT, root_pem_path_for(key))):
            if (files / name).is_file():
                moves.append((files / name, target))
        beside = files / BESIDE.rstrip("/")
        for rel in manifest.get("archives", []):
            if (beside / rel).is_dir():
                moves.append((beside / rel, db.parent / rel))
        return PreparedRestore(backup, db, staging, manifest, restored.meetings, health.events, current, foreign,
                               moves)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:                 # a refused restore leaves no folder it made either
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def restore(backup: Path, db: Path, passphrase: Passphrase, *, force: bool = False) -> RestoreReport:
    """:func:`prepare_restore`, then :meth:`PreparedRestore.commit`."""
    return prepare_restore(backup, db, passphrase, force=force).commit()


# -- helpers ---------------------------------------------------------------------------------

def identity_of(path: Path) -> Identity:
    """The meetings in the database file ``path`` and its origin, read-only."""
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        rows = conn.execute("SELECT m.id, c.name, m.title FROM meeting m JOIN committee c ON c.id = m.committee_id "
                            "ORDER BY m.id").fetchall()
        first = conn.execute("SELECT hash FROM audit_event WHERE seq = 1").fetchone()
    return Identity(tuple(MeetingName(int(i), str(c), str(t)) for i, c, t in rows), str(first[0]) if first else "")


def _origin_of(path: Path) -> str:
    try:
        return identity_of(path).origin
    except sqlite3.Error:
        return ""


def _current_identity(db: Path) -> Identity | None:
    """The meeting at ``db`` now; None when there is no file, or one too damaged to name its
    meeting (then it is replaced — and kept aside — like any other)."""
    if not db.is_file() or db.stat().st_size == 0:
        return None
    try:
        return identity_of(db)
    except sqlite3.Error:
        return None


def _schema_version(path: Path) -> int:
    with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _extract(tar_path: Path, into: Path, name: str) -> dict[str, Any]:
    """Unpack the tar member by member, each checked against the manifest (its first member)."""
    def bad(why: str, why_zh: str) -> RuleViolation:
        return refuse("backup.manifest", f"the backup {name} does not match its manifest ({why}); nothing was "
                      "restored", f"备份文件{name}与其清单不符（{why_zh}），未恢复任何内容")

    try:
        with tarfile.open(tar_path, "r:") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise bad("no manifest", "缺少清单")
            manifest = json.loads(_read(tar, first).decode("utf-8"))
            wanted: dict[str, dict[str, Any]] = manifest["files"]
            if not all(isinstance(a, str) and _safe(a) and a for a in manifest.get("archives", [])):
                raise bad("an archive folder outside the meeting's folder", "归档文件夹不在会议所在文件夹内")
            if DATABASE not in wanted:
                raise bad("no database", "缺少数据库")
            seen: set[str] = set()
            for member in tar:
                if member is first:
                    continue
                if not member.isfile() or member.name not in wanted or member.name in seen \
                        or not _safe(member.name):
                    raise bad(f"unexpected member {member.name}", f"多出的成员{member.name}")
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None
                digest = _copy_hashing(source, target)
                if digest != wanted[member.name]["sha256"]:
                    raise bad(f"{member.name}: SHA-256 differs", f"{member.name}的SHA-256不符")
                seen.add(member.name)
    except (tarfile.TarError, ValueError, KeyError, TypeError) as exc:
        raise bad(exc.__class__.__name__, exc.__class__.__name__) from None
    missing = sorted(set(wanted) - seen)
    if missing:
        raise bad(f"missing {missing[0]}", f"缺少{missing[0]}")
    return dict(manifest)


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and ":" not in name


def _aside(target: Path, stamp: str) -> list[tuple[Path, Path]]:
    """What moves aside before ``target`` is replaced: the file (with a database's WAL and shared
    memory, renamed so they stay its own) or folder, each to ``<name>.before-restore-<stamp>``."""
    if not target.exists():
        return []
    aside = target.with_name(f"{target.name}.before-restore-{stamp}")
    moves = [(target, aside)]
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{target}{suffix}")
        if extra.exists():
            moves.append((extra, Path(f"{aside}{suffix}")))
    return moves


def _same_content(a: Path, b: Path) -> bool:
    """Is ``b`` already exactly ``a`` (a key file or an archive folder restored over itself)?"""
    if a.is_file() and b.is_file():
        return a.stat().st_size == b.stat().st_size and _sha256(a) == _sha256(b)
    if a.is_dir() and b.is_dir():
        files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
        files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
        return files_a == files_b and all(_same_content(a / f, b / f) for f in files_a)
    return False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_hashing(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    source = tar.extractfile(member)
    if source is None or member.size > 16 << 20:
        raise ValueError("manifest")
    return source.read()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def root_pem_path_for(key: Path) -> Path:
    """:func:`app.sealing.keys.root_pem_path_for`, without loading ``cryptography`` with the services."""
    from app.sealing.keys import root_pem_path_for as beside_key

    return beside_key(key)


def _as_bytes(passphrase: Passphrase) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)


def _zh(text: Bilingual | str) -> str:
    return getattr(text, "zh", text)

