"""Records ⇄ plain dicts, driven by the dataclass type hints.

:func:`rashomon.records.to_dict` goes one way; :func:`from_dict` rebuilds a record from
JSON or a store row (tuples of nested records, optional fields, dicts), so the store, the
Spark Parquet tables and the analysis document can all be read back into typed records.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

from . import records

T = TypeVar("T")


@functools.cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    hints = _hints(cls)  # type: ignore[arg-type]  # dataclass types are hashable
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**kwargs)


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        inner = get_args(tp)[0] if get_args(tp) else Any
        return tuple(_convert(inner, v) for v in value)
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return from_dict(tp, value)  # type: ignore[arg-type]
    if tp is float and isinstance(value, int):
        return float(value)
    return value
