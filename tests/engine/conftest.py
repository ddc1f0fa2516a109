"""Fixtures for engine tests: the demo meeting built once, copied per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.domain import Step
from app.services import Conclave
from tests.demo_templates import Templates

MakeApp = Callable[[Step], tuple[Conclave, int]]


@pytest.fixture
def demo_at(demo_templates: Templates, tmp_path: Path) -> Iterator[MakeApp]:
    """``demo_at(Step.PLENARY)`` → a private copy of the demo meeting finished up to that step."""
    opened: list[Conclave] = []

    def make(until: Step) -> tuple[Conclave, int]:
        target = demo_templates.copy(until, tmp_path / f"copy-{int(until)}-{len(opened)}.sqlite3")
        app = Conclave(target)
        opened.append(app)
        return app, 1

    yield make
    for app in opened:
        app.close()
