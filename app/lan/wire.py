"""The engine's frozen dataclasses (``ExpertTasks``, ``Ack``) as JSON and back.

Why generic: the host sends what :meth:`TerminalService.tasks` returns and the terminal rebuilds
the same dataclass, so that the screens get the very type the kiosk gets in process
(:class:`ui.expert_backend.LocalBackend`). Written field by field from the type hints, a field
the engine adds later (with a default) travels without a change here, and a field a newer host
sends that an older terminal does not know is dropped rather than breaking it.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from typing import Any


def to_wire(value: Any) -> Any:
    """``value`` as JSON-able data: dataclasses as objects, tuples as lists, enums by value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_wire(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_wire(tp: Any, data: Any) -> Any:
    """``data`` (from :func:`to_wire`) rebuilt as ``tp`` — a dataclass, or any hint inside one."""
    origin = typing.get_origin(tp)
    if tp is Any or data is None:
        return data
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is type(None):
                continue
            return from_wire(arg, data)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: from_wire(hints[k], v) for k, v in data.items() if k in known})
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_wire(args[0], v) for v in data)
        return tuple(from_wire(a, v) for a, v in zip(args, data, strict=False))
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [from_wire(arg, v) for v in data]
    if origin in (dict, collections.abc.Mapping):
        _, val = typing.get_args(tp)
        return {k: from_wire(val, v) for k, v in data.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    if tp is float and isinstance(data, int):
        return float(data)
    return data
