"""Batch actions (check in the selected experts, sign their commitments, mark candidates
eligible): one service call, one transaction, one audit event for the whole batch.

A row whose work is already done — an expert who checked in or signed at the kiosk a moment
ago, a candidate already marked the same way — is skipped, not refused: the batch does the
rest and says how many it did and how many it skipped. Any other problem with a row refuses
the whole batch and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.text import Bilingual, bi


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: the codes done now, and the codes skipped because they were already done."""

    done: tuple[str, ...]
    skipped: tuple[str, ...]

    @property
    def summary(self) -> Bilingual:
        return bi(f"{len(self.done)} done, {len(self.skipped)} skipped (already done)",
                  f"完成{len(self.done)}项，跳过{len(self.skipped)}项（此前已完成）")


def unique(codes: Iterable[str]) -> list[str]:
    """The codes in order, each once (a batch never acts twice on one row)."""
    return list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
