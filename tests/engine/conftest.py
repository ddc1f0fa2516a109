"""Fixtures for engine tests: the demo meeting built once, copied per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.demo import build_demo
from app.domain import Step
from app.services import Conclave
from app.storage.db import backup

MakeApp = Callable[[Step], tuple[Conclave, int]]


class Templates:
    """The demo meeting stopped after a given step, each built once per session on first use."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[Step, Path] = {}

    def copy(self, until: Step, target: Path) -> Path:
        """A private copy of the template at ``target``, with its committee key beside it."""
        source = self[until]
        target.write_bytes(source.read_bytes())
        key = source.with_name("template.committee-key.p12")
        if key.exists():
            target.with_name(target.stem + ".committee-key.p12").write_bytes(key.read_bytes())
        return target

    def __getitem__(self, until: Step) -> Path:
        if until not in self.built:
            folder = self.factory.mktemp(f"demo-{int(until)}")
            app = Conclave(folder / "demo.sqlite3")
            build_demo(app, out=lambda _s: None, archive_dir=folder / "archive", until=until)
            backup(app.store.engine, folder / "template.sqlite3")
            key = folder / "demo.committee-key.p12"
            if key.exists():  # the committee key travels with its database
                key.replace(folder / "template.committee-key.p12")
            app.close()
            self.built[until] = folder / "template.sqlite3"
        return self.built[until]


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory)


@pytest.fixture
def demo_at(demo_templates: Templates, tmp_path: Path) -> Iterator[MakeApp]:
    """``demo_at(Step.PLENARY)`` → a private copy of the demo meeting finished up to that step."""
    opened: list[Conclave] = []

    def make(until: Step) -> tuple[Conclave, int]:
        target = tmp_path / f"copy-{int(until)}-{len(opened)}.sqlite3"
        target.write_bytes(demo_templates[until].read_bytes())
        app = Conclave(target)
        opened.append(app)
        return app, 1

    yield make
    for app in opened:
        app.close()
