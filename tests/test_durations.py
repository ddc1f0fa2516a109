"""The order the modules go out in (tests/durations.py): longest first, from this checkout's cache,
or from the seed kept in the repository when the checkout has never run the tests."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import durations


class _Cache:
    def __init__(self, kept: dict[str, Any]) -> None:
        self.kept = kept

    def get(self, key: str, default: Any) -> Any:
        return self.kept.get(key, default)


def _order(cache: _Cache | None, nodeids: list[str]) -> list[str]:
    items: list[Any] = [SimpleNamespace(nodeid=n) for n in nodeids]
    durations.longest_first(SimpleNamespace(cache=cache), items)  # type: ignore[arg-type]
    return [i.nodeid for i in items]


COLLECTED = ["tests/a.py::t1", "tests/a.py::t2", "tests/b.py::t", "tests/static.py::mypy"]


def test_a_fresh_checkout_takes_the_seeds_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = tmp_path / "module-seconds.json"
    seed.write_text(json.dumps({"tests/static.py": 11.0, "tests/a.py": 2.0, "tests/b.py": 3.0}), encoding="utf-8")
    monkeypatch.setattr(durations, "SEED", seed)
    assert _order(_Cache({}), COLLECTED) == ["tests/static.py::mypy", "tests/b.py::t", "tests/a.py::t1",
                                             "tests/a.py::t2"]
    assert _order(None, COLLECTED)[0] == "tests/static.py::mypy"        # -p no:cacheprovider
    # the checkout's own times replace the seed's, module by module
    mine = _Cache({durations.KEY: {"tests/static.py": 0.5, "tests/a.py": 4.0}})
    assert _order(mine, COLLECTED) == ["tests/a.py::t1", "tests/a.py::t2", "tests/b.py::t", "tests/static.py::mypy"]


def test_without_a_seed_or_a_cache_the_collected_order_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(durations, "SEED", tmp_path / "absent.json")
    assert _order(_Cache({}), COLLECTED) == COLLECTED
    (tmp_path / "absent.json").write_text("{not json", encoding="utf-8")
    assert _order(_Cache({}), COLLECTED) == COLLECTED


def test_the_seed_in_the_repository_names_modules_that_exist() -> None:
    root = Path(durations.__file__).resolve().parents[1]
    seeded = durations.seed()
    assert len(seeded) > 100
    gone = [m for m in seeded if not (root / m).is_file()]
    assert len(gone) <= len(seeded) // 10, f"rewrite the seed (python -m tests.durations): gone {gone}"
