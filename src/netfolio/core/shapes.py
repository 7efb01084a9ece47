"""One serialiser for every report: dataclasses in, JSON-ready data out.

The CLI's ``--json``, the web API's responses and the OpenAPI document all come from the
report dataclasses themselves, so each report has one shape, written once: pydantic reads
them for the web (FastAPI's response models and the OpenAPI document), :func:`plain` for the
CLI and ``to_dict()``, without importing pydantic.

- :class:`Plain`: a mixin for report dataclasses: ``to_dict()``, and ``json_extra`` to carry
  properties (``PlanReport.done``) as fields of the JSON.
- :class:`Ref` and :func:`record`: small named tuples (``(id, name)``) that unpack
  like tuples in Python and are objects (``{"id": 1, "name": "Ana"}``) in JSON.
- :class:`Rounded`: a float rounded in JSON only (the Python value keeps its precision).
- :func:`plain`: any report (or list of them) as JSON-ready data.

    >>> plain(Ref(7, "Ana"))
    {'id': 7, 'name': 'Ana'}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from typing import Any, ClassVar, NamedTuple, TypeVar

T = TypeVar("T", bound=type)

__all__ = ["Iso", "Plain", "Ref", "Rounded", "plain", "record"]


def _record_schema(cls: Any, source: Any, handler: Any) -> Any:
    """A named tuple's schema: an object with its fields in JSON, the tuple in Python."""
    from pydantic_core import core_schema as cs

    hints = typing.get_type_hints(cls)
    fields = {name: cs.typed_dict_field(handler.generate_schema(hints[name]))
              for name in cls._fields}
    as_object = cs.typed_dict_schema(fields)
    from_object = cs.chain_schema([as_object, cs.no_info_plain_validator_function(
        lambda d: cls(**d))])
    return cs.json_or_python_schema(
        json_schema=from_object,
        python_schema=cs.union_schema([cs.is_instance_schema(cls), from_object]),
        serialization=cs.plain_serializer_function_ser_schema(
            lambda v: dict(zip(cls._fields, v, strict=True)), return_schema=as_object),
        ref=f"{cls.__module__}.{cls.__qualname__}",
        metadata={"pydantic_js_functions": [_titled(cls)]},
    )


def _titled(cls: Any) -> Any:
    def js(schema: Any, handler: Any) -> Any:
        out = handler(schema)
        target = handler.resolve_ref_schema(out)
        target["title"] = cls.__name__
        if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
            target["description"] = cls.__doc__.strip()
        return out
    return js


def record(cls: T) -> T:
    """A class decorator for a NamedTuple: an object in JSON and in the OpenAPI document (a
    tuple in Python, so ``pid, name = ref`` and ``ref == (7, "Ana")`` still hold)."""
    setattr(cls, "__get_pydantic_core_schema__", classmethod(_record_schema))  # noqa: B010
    return cls


@record
class Ref(NamedTuple):
    """A person named in a report: their id and name."""

    id: int
    name: str


class _InJson:
    """Field metadata: how a value is written in JSON (its Python value stays as it is)."""

    def write(self, value: Any) -> Any:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import PlainSerializer

        def write(value: Any) -> Any:
            return None if value is None else self.write(value)

        return PlainSerializer(write).__get_pydantic_core_schema__(source, handler)


class Rounded(_InJson):
    """``Annotated[float, Rounded(2)]``: rounded to that many places in JSON."""

    def __init__(self, places: int) -> None:
        self.places = places

    def write(self, value: Any) -> Any:
        return round(float(value), self.places)


class Iso(_InJson):
    """``Annotated[dt.datetime, Iso()]``: ``datetime.isoformat()`` in JSON (``+00:00``, not
    pydantic's ``Z``)."""

    def write(self, value: Any) -> Any:
        return value.isoformat()


class Plain:
    """A report dataclass: ``to_dict()`` through :func:`plain`, the shape pydantic reads
    from the fields (the web API declares these classes as its response models)."""

    __slots__ = ()
    #: properties carried as fields of the JSON (and of the OpenAPI schema)
    json_extra: ClassVar[tuple[str, ...]] = ()
    #: fields left out of the JSON (kept in Python)
    json_hidden: ClassVar[tuple[str, ...]] = ()
    #: every field is in every answer, defaults or not (the OpenAPI document says so)
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "json_schema_serialization_defaults_required": True,
    }

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(self)
        return data

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        if not (cls.json_extra or cls.json_hidden):
            return schema
        from pydantic_core import core_schema as cs

        target = handler.resolve_ref_schema(schema) if schema["type"] == "definition-ref" \
            else schema
        args = target
        while args["type"] != "dataclass-args":
            args = args["schema"]
        for f in args["fields"]:
            if f["name"] in cls.json_hidden:
                f["serialization_exclude"] = True
        args["computed_fields"] = [*args.get("computed_fields", []), *(
            cs.computed_field(name, handler.generate_schema(
                typing.get_type_hints(getattr(cls, name).fget)["return"]))
            for name in cls.json_extra)]
        return schema


# -- writing JSON -----------------------------------------------------------------------------
# The web writes answers through pydantic (FastAPI has it loaded, and it validates them);
# the CLI's --json and to_dict() through the writer below, which reads the same declarations
# (fields, json_hidden, json_extra, Rounded, Iso, records) without importing pydantic: that
# import and the first schema cost half a second, more than a whole read command may take.
# tests/test_shapes.py checks that both write the same JSON for every report.

_SIMPLE = (str, int, float, bool, type(None))
#: One plan per class: (name, how to write the value), built on first use.
_PLANS: dict[type, list[tuple[str, Any]]] = {}


def _writer_for(hint: Any) -> Any:
    """How to write a value declared as ``hint``: None (as it is), or a function."""
    if typing.get_origin(hint) is typing.Annotated:
        for meta in hint.__metadata__:
            if isinstance(meta, _InJson):
                return lambda v, m=meta: None if v is None else m.write(v)
        hint = typing.get_args(hint)[0]
    if hint in _SIMPLE:
        return None
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and all(
            arg in _SIMPLE for arg in typing.get_args(hint)):
        return None
    return plain


def _plan(cls: type) -> list[tuple[str, Any]]:
    found = _PLANS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        hidden = getattr(cls, "json_hidden", ())
        found = [(f.name, _writer_for(hints[f.name])) for f in dataclasses.fields(cls)
                 if f.name not in hidden]
        for name in getattr(cls, "json_extra", ()):
            returns = typing.get_type_hints(getattr(cls, name).fget, include_extras=True)
            found.append((name, _writer_for(returns["return"])))
        _PLANS[cls] = found
    return found


def plain(value: Any) -> Any:
    """A report (a dataclass, a record, or a list or dict of them) as JSON-ready data: dicts,
    lists, strings, numbers, booleans and None; dates as ISO 8601 text, enums as values."""
    if isinstance(value, _SIMPLE):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) if write is None else write(getattr(value, name))
                for name, write in _plan(type(value))}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: plain(v) for name, v in zip(value._fields, value, strict=True)}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value
