"""Plain option values without Pydantic: start-up time for every command.

Typer (0.2x) turns each parameter's value into its Python type through a Pydantic
``TypeAdapter``, built the first time the parameter is parsed; importing Pydantic and
building the adapters costs about 0.1 s of every command's start-up, more than the reading
the daily commands do. For the plain parameters netfolio has (a ``str``; an ``int`` with no
bounds), the value either is already right (a default, a string) or is a plain integer; this
module coerces those directly and hands anything else (a bad integer, a bounded one, a list)
to Typer's own adapter, so errors read exactly as Typer writes them.

Typer's internals are used through one function, :func:`install`; if they change shape,
nothing is installed and Typer works as it always does.
"""

from __future__ import annotations

import re
from typing import Any

_INT = re.compile(r"-?[0-9]{1,18}")


def install() -> None:
    """Coerce plain ``str``, ``bool`` and unbounded ``int`` values without Pydantic, for every
    Typer parameter of this process (once; a no-op under a Typer without these internals)."""
    if _INSTALLED:
        return
    _INSTALLED.append(True)
    try:
        from dataclasses import dataclass

        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # pragma: no cover - another Typer
        return
    typer_own = getattr(_TyperParameter, "get_runtime_param", None)
    if typer_own is None:  # pragma: no cover - another Typer
        return

    @dataclass(frozen=True)
    class Quick(RuntimeParam):
        """A plain parameter, coerced without Pydantic when its value is plainly right."""

        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = self.annotation
            if kind is str and isinstance(value, str):
                return value
            if kind is bool and isinstance(value, bool):
                return value
            if kind is int:
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
                if isinstance(value, str) and _INT.fullmatch(value):
                    return int(value)
            # anything unusual: Typer's own adapter, with its own error messages
            return build_runtime_param(self.descriptor)._coerce_value(value, param, ctx)

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None and _plain(self):
            d = self.type_descriptor
            self._runtime_param = Quick(parameter_info=d.parameter_info, annotation=d.annotation,
                                        descriptor=d)
        return typer_own(self)

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]


def _plain(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None:
        return False
    info = descriptor.parameter_info
    return (descriptor.annotation in (str, int, bool) and descriptor.file_annotation is None
            and getattr(info, "parser", None) is None
            and getattr(info, "click_type", None) is None
            and getattr(info, "min", None) is None and getattr(info, "max", None) is None
            and not getattr(param, "multiple", False) and getattr(param, "nargs", 1) == 1)


_INSTALLED: list[bool] = []


__all__ = ["install"]
