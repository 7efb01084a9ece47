"""The user's settings as plain data (:class:`Me`), apart from the ORM that stores them.

:mod:`netfolio.core.settings` reads and writes them through the ORM; the lean read path
(:mod:`netfolio.core.reader`) reads the same ``setting`` rows through the DB-API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netfolio.core.defaults import DEFAULT_WEEKLY_BUDGET


@dataclass
class Me:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "emails": list(self.emails),
            "own_fields": list(self.own_fields),
            "weekly_budget": self.weekly_budget,
            "cadence_days": dict(self.cadence_days),
            "region": self.region,
            "targets": dict(self.targets),
            "profiles": list(self.profiles),
            "other_names": list(self.other_names),
        }


#: The setting keys that make up :class:`Me`.
ME_KEYS: tuple[str, ...] = tuple(Me().to_dict())

__all__ = ["DEFAULT_WEEKLY_BUDGET", "ME_KEYS", "Me"]
