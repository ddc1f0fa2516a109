"""The December demos the calendar tests share (tests/calendar/december.py), run once per test run."""

from __future__ import annotations

import pytest

from tests.calendar.december import December


@pytest.fixture(scope="session")
def december(tmp_path_factory: pytest.TempPathFactory) -> December:
    return December(tmp_path_factory)
