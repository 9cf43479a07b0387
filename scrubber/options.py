"""Validate user-supplied mappings against a stage's ``Options`` dataclass.

One checker for every stage, so every config error reads the same way: it names the file, the key
path and what was expected (``my.yaml: pipeline[1].threshold: expected a number, got 'high'``).
Unknown keys are errors, never ignored: a misspelt option silently falling back to a default is how
PII leaks.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from scrubber.errors import ConfigError


def parse_options(cls: type, data: dict[str, Any] | None, where: str, key_sep: str = ".") -> Any:
    """Build ``cls`` (a dataclass) from ``data``, rejecting unknown keys and wrong types.

    A key's path in messages is ``where`` + ``key_sep`` + key: ``.`` below a stage
    (``my.yaml: pipeline[1].dedup_near.threshold``), ``": "`` for top-level keys (``my.yaml: mode``).
    """
    if cls is type(None):
        if data:
            raise ConfigError(f"{where}: takes no options, got {sorted(data)}")
        return None
    data = dict(data or {})
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}; allowed keys are: {', '.join(sorted(fields))}"
        )
    values = {}
    for name, value in data.items():
        values[name] = coerce(value, hints[name], f"{where}{key_sep}{name}")
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:  # __post_init__ validation
        raise ConfigError(f"{where}: {exc}") from None


def coerce(value: Any, hint: Any, where: str) -> Any:
    """Check ``value`` against a type hint; return it converted (tuple for list hints)."""
    origin = get_origin(hint)
    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        args = get_args(hint)
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce(value, arg, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if len(errors) == 1 else f"{where}: {value!r} fits none of {hint}")
    if origin is Literal:
        allowed = get_args(hint)
        if value not in allowed:
            raise ConfigError(f"{where}: expected one of {', '.join(map(repr, allowed))}, got {value!r}")
        return value
    if origin in (list, tuple) or hint in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__} {value!r}")
        args = get_args(hint)
        inner = args[0] if args else Any
        return tuple(coerce(v, inner, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
        args = get_args(hint)
        kt, vt = args if args else (Any, Any)
        return {coerce(k, kt, f"{where}") : coerce(v, vt, f"{where}.{k}") for k, v in value.items()}
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected a whole number, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
        return parse_options(hint, value, where)
    raise TypeError(f"{where}: unsupported option type {hint!r}")


def options_to_dict(options: Any) -> Any:
    """Plain, JSON-ready form of an options object (for the config fingerprint and the report)."""
    if dataclasses.is_dataclass(options) and not isinstance(options, type):
        return {f.name: options_to_dict(getattr(options, f.name)) for f in dataclasses.fields(options)}
    if isinstance(options, (list, tuple)):
        return [options_to_dict(v) for v in options]
    if isinstance(options, dict):
        return {str(k): options_to_dict(v) for k, v in sorted(options.items())}
    return options
