"""The user's settings as plain data (:class:`Me`), apart from the ORM that stores them.

:mod:`netfolio.core.settings` reads and writes them through the ORM; the lean read path
(:mod:`netfolio.core.reader`) reads the same ``setting`` rows through the DB-API.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from netfolio.core.defaults import DEFAULT_WEEKLY_BUDGET
from netfolio.core.shapes import Plain


@dataclass
class Me(Plain):
    """Your settings: name, own emails and fields, weekly budget, cadences, targets."""

    name: str | None = None
    emails: list[str] = field(default_factory=list)
    own_fields: list[str] = field(default_factory=list)
    weekly_budget: int = DEFAULT_WEEKLY_BUDGET
    #: the user's cadence overrides, in days, by tier ("5", "15", ...)
    cadence_days: dict[str, int] = field(default_factory=dict)
    #: ISO country code used for phone numbers written without +country
    region: str | None = None
    #: the field allocation targets you set (field slug → fraction of 1; the other fields keep
    #: their default share of the rest: ``netfolio targets``)
    targets: dict[str, float] = field(default_factory=dict)
    #: your own LinkedIn profile URLs (canonical)
    profiles: list[str] = field(default_factory=list)
    #: other names you appear under in exports (a nickname, a married name)
    other_names: list[str] = field(default_factory=list)


#: The setting keys that make up :class:`Me`.
ME_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Me))

__all__ = ["DEFAULT_WEEKLY_BUDGET", "ME_KEYS", "Me"]
