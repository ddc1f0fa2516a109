"""Errors that name the rule they enforce.

Every refusal in Conclave — a bad import row, a gate that does not hold, a record
file that breaks the spec — is a :class:`Violation`: a rule id from
``spec/meeting-record.md`` (or an engine rule id such as ``step.gate``) and a
message a person can act on, in Chinese and in English. Services raise
:class:`RuleViolation`; the command line prints it on one line (English); the GUI
shows the headline in the person's language and the rule id and the clause of the
rules on a details line below it. Nobody sees a traceback.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass

from app.text import bi, in_chinese


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule (不符合规定之处): what to do about it, in both languages, and where.

    ``message`` is the English text — what the record and draw files write
    (``spec/meeting-record.md`` fixes ``{"rule", "message"}``) and the command line
    prints — and, given as a :class:`~app.text.Bilingual` (``bi(english, chinese)``),
    it carries its Chinese too: the headline the secretary reads. The headline never
    holds the rule id nor the clause: ``rule`` and ``ref`` (``"X§6"``, the clause of
    ``spec/rules.md``) make the :attr:`details` line. ``row`` (1-based, in the list the
    caller gave) and ``field`` name the row and field concerned, when there is one, so
    that a table can point at it; the messages say the same in words.
    """

    rule: str
    message: str
    row: int | None = None
    field: str | None = None
    ref: str | None = None

    @property
    def en(self) -> str:
        """The English text (also :attr:`message` as a plain ``str``)."""
        return str(self.message)

    @property
    def zh(self) -> str | None:
        """The Chinese text, or ``None`` for a message that has none (a wire-format message)."""
        zh = getattr(self.message, "zh", None)
        return zh if isinstance(zh, str) and zh else None

    def text(self, language: str) -> str:
        """The headline in ``language`` (``"zh"`` or ``"en"``); English when there is no Chinese."""
        if language == "zh":
            return self.zh or self.en
        return self.en

    @property
    def details(self) -> str:
        """The details line: the rule id, then the clause of the rules when there is one."""
        return f"{self.rule} · {self.ref}" if self.ref else self.rule

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.en}


def details_line(violations: Iterable[Violation], sep: str = "; ") -> str:
    """The rule ids and clauses of ``violations``, each once, in order: ``"pool.title · X§6; draw.input"``."""
    return sep.join(dict.fromkeys(v.details for v in violations))


class RuleViolation(Exception):
    """Raised when input or an action breaks one or more rules; nothing was stored."""

    def __init__(self, violations: Violation | Iterable[Violation]) -> None:
        if isinstance(violations, Violation):
            violations = [violations]
        self.violations: list[Violation] = list(violations)
        if not self.violations:
            raise ValueError("RuleViolation needs at least one violation")
        super().__init__(self.violations[0].message)

    @classmethod
    def single(cls, rule: str, message: str, *, row: int | None = None, field: str | None = None,
               ref: str | None = None) -> RuleViolation:
        return cls(Violation(rule, message, row=row, field=field, ref=ref))

    @property
    def rule(self) -> str:
        return self.violations[0].rule

    def __str__(self) -> str:
        first = self.violations[0]
        more = len(self.violations) - 1
        tail = f" (+{more} more)" if more else ""
        return f"[{first.rule}] {first.en}{tail}"


#: What the system said about a file or folder, in Chinese, by ``errno`` (the English is the
#: system's own ``strerror``; on Chinese Windows that is already Chinese).
_OS_REASONS_ZH = {"EEXIST": "已存在同名的文件或文件夹", "ENOENT": "路径不存在", "ENOTDIR": "路径中有一项不是文件夹",
                  "EISDIR": "这是一个文件夹", "EACCES": "没有权限", "EPERM": "没有权限", "ENOSPC": "磁盘空间不足",
                  "EROFS": "所在磁盘只读", "ENAMETOOLONG": "路径过长", "EBUSY": "正被占用", "EINVAL": "路径无效"}


def file_refusal(exc: OSError) -> RuleViolation:
    """A file or folder the system refused (``file.access``), as a refusal naming it and why: a
    folder given for output that is a file, a path that does not exist, a disk that is read-only or
    full… — what the command line prints on one line instead of a traceback. An error of the system
    that names no path (``system.refused``) says only why."""
    reason = exc.strerror or type(exc).__name__
    zh = _OS_REASONS_ZH.get(errno.errorcode.get(exc.errno or 0, ""), reason)
    if exc.filename is None:
        return RuleViolation.single("system.refused", bi(f"the system refused: {reason}", f"系统拒绝了该操作：{zh}"))
    path = str(exc.filename) if exc.filename2 is None else f"{exc.filename} → {exc.filename2}"
    return RuleViolation.single("file.access", bi(f"cannot use {path}: {reason} — check the path and try again",
                                                  f"无法使用{path}：{zh}——请检查路径后重试"))


def output_refusal(target: object, exc: OSError | ValueError) -> RuleViolation:
    """The output file ``target`` could not be written: a path the system refused (:func:`file_refusal`),
    or a path it cannot even name (a NUL byte: :class:`ValueError`) — ``file.access`` either way."""
    if isinstance(exc, OSError) and exc.filename is not None:
        return file_refusal(exc)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return RuleViolation.single("file.access", bi(f"cannot write {target}: {reason} — check the path and try again",
                                                  f"无法写入{target}：{reason}——请检查路径后重试"))


def one_line(exc: RuleViolation) -> str:
    """The refusal as printed: ``[rule] message``, and its Chinese on the same line when the
    message has one (a message of several lines stays as it is)."""
    text = str(exc)
    zh = in_chinese(exc.violations[0].message)
    first = exc.violations[0].message
    if zh != first and "\n" not in text and "\n" not in zh:
        text += f" | {zh}"
    return text
