"""The secret ballot (无记名投票表决), X§10(七): the threshold and the count.

Only panel experts present at the vote vote; ``n`` is their number. A candidate
passes the threshold with at least two thirds of ``n`` in favour, "2/3（含）以上",
that is ``yes >= ceil(2n/3)``. The ceiling is computed with integers only, so no
floating-point rounding can ever move a result.

A ballot is a mapping candidate id → ``"yes"`` (赞成), ``"no"`` (反对) or
``"abstain"`` (弃权). A candidate left blank or missing on a ballot is an abstention.
There are never more ballots than voters in a round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from app.errors import RuleViolation, Violation
from app.text import bi

Choice = Literal["yes", "no", "abstain"]
CHOICES: Final[tuple[Choice, ...]] = ("yes", "no", "abstain")


def threshold(n: int) -> int:
    """Yes votes needed with ``n`` voters present: ``ceil(2n/3)``; n=25 → 17, n=7 → 5."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"the number of voters must be a whole number >= 1, got {n!r}")
    return (2 * n + 2) // 3


@dataclass(frozen=True, slots=True)
class Counts:
    """One candidate's votes in one round."""

    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain


def check_ballots(
    ballots: Sequence[Mapping[str, object]],
    candidate_ids: Iterable[str],
    voters: int | None = None,
    where: str = "ballots",
) -> list[Violation]:
    """Every problem of one round's ballots; ``where`` names the round in messages.

    Rules: ``ballot.count`` (more ballots than ``voters``, when given),
    ``ballot.unknown_candidate`` (a ballot names someone not on this round's list)
    and ``ballot.choice`` (a choice other than yes, no, abstain).
    """
    allowed = set(candidate_ids)
    round_zh = "本轮" if where == "ballots" else f"{where}："    # the Chinese names no JSON path of its own
    errors: list[Violation] = []
    if voters is not None and len(ballots) > voters:
        errors.append(Violation(
            "ballot.count",
            bi(f"{where}: {len(ballots)} ballots but only {voters} voter"
               f"{'s' if voters != 1 else ''} present at the vote; "
               "there can never be more ballots than voters",
               f"{round_zh}选票{len(ballots)}张，出席表决的评委仅{voters}人；选票不得多于投票人数"),
            ref="X§10(七)",
        ))
    for i, ballot in enumerate(ballots):
        for cid, choice in ballot.items():
            if cid not in allowed:
                errors.append(Violation(
                    "ballot.unknown_candidate",
                    bi(f"{where}[{i}]: {show(cid)} is not a candidate of this round",
                       f"{round_zh}第{i + 1}张选票：{show(cid)}不是本轮表决的申报人"),
                    row=i + 1,
                ))
            elif not isinstance(choice, str) or choice not in CHOICES:
                errors.append(Violation(
                    "ballot.choice",
                    bi(f"{where}[{i}].{show(cid)}: the choice must be yes, no or abstain; "
                       f"got {show(choice)}",
                       f"{round_zh}第{i + 1}张选票{show(cid)}：表决意见只能是赞成、反对或弃权，现为{show(choice)}"),
                    row=i + 1, field=show(cid),
                ))
    return errors


def tally(
    ballots: Sequence[Mapping[str, object]], candidate_ids: Iterable[str]
) -> dict[str, Counts]:
    """Count one round: candidate id → :class:`Counts`, in the order of ``candidate_ids``.

    A candidate missing from a ballot is an abstention on it, so every candidate's
    counts add up to the number of ballots. Raises :class:`RuleViolation` when a
    ballot names an unknown candidate or holds an invalid choice, rather than
    guess what the voter meant.
    """
    ids = list(dict.fromkeys(candidate_ids))
    errors = check_ballots(ballots, ids)
    if errors:
        raise RuleViolation(errors)
    yes = dict.fromkeys(ids, 0)
    no = dict.fromkeys(ids, 0)
    for ballot in ballots:
        for cid, choice in ballot.items():
            if choice == "yes":
                yes[cid] += 1
            elif choice == "no":
                no[cid] += 1
    total = len(ballots)
    return {cid: Counts(yes[cid], no[cid], total - yes[cid] - no[cid]) for cid in ids}


def show(value: object) -> str:
    """A value for a one-line message: short, no control characters."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 64:
        return "a huge number"
    if isinstance(value, str):
        value = value[:41]        # a 50 MB value: cut before looking at it
    text = value if isinstance(value, str) and value.isprintable() and value else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
