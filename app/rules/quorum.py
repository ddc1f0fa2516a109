"""The quorum of a ballot round (表决的法定出席人数), a setting of the plan.

X§10(七) counts the threshold on the experts present at the vote; it does not say how many
of the drawn panel must be there for a vote to be held at all. The product's default
(spec/rules.md, "The ballot") is two thirds of the panel's experts, rounded up: a round
opens only with at least ``ceil(2/3 × panel size)`` voters present. A plan may set another
share when it is filed; the share is stored with the plan as a fraction (``"2/3"``), shown on
the plan tab and the ballot page, and printed in the minutes.

The panel size is the number of experts on the drawn panel (the chair and vice-chair do not
vote and do not count), whether or not they checked in. Below the X§8 minimum composition
(:func:`app.rules.panel.minimum_panel`) a vote may still be held if the quorum is met, but the
chair is warned.

A share is written as a fraction ``p/q`` or a decimal (``0.75``); it must lie between one half
and one, so that a quorum is always a majority of the panel.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from app.errors import Violation
from app.text import Bilingual, bi

#: The product's default quorum: two thirds of the panel's experts, rounded up.
DEFAULT_QUORUM: Final = "2/3"
#: The smallest share a plan may set (a quorum is at least half the panel).
LOWEST_QUORUM: Final = Fraction(1, 2)


def quorum_share(value: object) -> Fraction:
    """The share written as ``"2/3"``, ``"0.75"``, a Fraction or an int; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"the quorum must be a fraction such as 2/3, got {value!r}")
    if isinstance(value, Fraction | int):
        share = Fraction(value)
    elif isinstance(value, str):
        try:
            share = Fraction(value.strip().replace("／", "/"))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"the quorum must be a fraction such as 2/3, got {value!r}") from None
    else:
        raise ValueError(f"the quorum must be a fraction such as 2/3, got {value!r}")
    return share


def quorum_problem(value: object) -> Bilingual | None:
    """What is wrong with a plan's quorum setting, or None."""
    try:
        share = quorum_share(value)
    except ValueError:
        share = None
    if share is None or not LOWEST_QUORUM <= share <= 1:
        return bi(f"the quorum must be a share of the panel between 1/2 and 1 (e.g. 2/3); got {value!r}",
                  f"表决法定出席人数须为评委人数的1/2至1之间的比例（如2/3），现为“{value}”")
    return None


def quorum_text(value: object) -> str:
    """The share as stored and shown: ``"2/3"``, ``"3/4"``, ``"1"``."""
    return str(quorum_share(value))


def quorum_needed(panel_size: int, share: object = DEFAULT_QUORUM) -> int:
    """Voters who must be present for a round to open: ``ceil(share × panel_size)``, in integers."""
    if panel_size < 0:
        raise ValueError(f"the panel size cannot be negative, got {panel_size}")
    q = quorum_share(share)
    return -(-q.numerator * panel_size // q.denominator)


def check_quorum(present: int, panel_size: int, share: object = DEFAULT_QUORUM) -> list[Violation]:
    """``ballot.quorum`` when fewer than :func:`quorum_needed` experts are present at the vote."""
    needed = quorum_needed(panel_size, share)
    if present >= needed:
        return []
    text = quorum_text(share)
    return [Violation("ballot.quorum", bi(
        f"{present} experts present at the vote; the plan's quorum is {text} of the panel's {panel_size} "
        f"experts, at least {needed}: the round cannot open",
        f"出席表决的评委{present}人，评审方案规定须达到评委总数{panel_size}人的{text}，即至少{needed}人，不能开始表决"))]
