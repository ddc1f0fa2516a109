"""Errors that name the rule they enforce.

Every refusal in Conclave — a bad import row, a gate that does not hold, a record
file that breaks the spec — is a :class:`Violation`: a rule id from
``spec/meeting-record.md`` (or an engine rule id such as ``step.gate``) and a
message a person can act on. Services raise :class:`RuleViolation`; the command
line prints it on one line; the GUI shows it. Nobody sees a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: the rule id and a message naming the row and field."""

    rule: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


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
    def single(cls, rule: str, message: str) -> RuleViolation:
        return cls(Violation(rule, message))

    @property
    def rule(self) -> str:
        return self.violations[0].rule

    def __str__(self) -> str:
        first = self.violations[0]
        more = len(self.violations) - 1
        tail = f" (+{more} more)" if more else ""
        return f"[{first.rule}] {first.message}{tail}"
