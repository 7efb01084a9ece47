"""The user ("me"): name, own addresses and fields, weekly contribution budget, cadences.

Stored as key/value rows in the ``setting`` table; :class:`Me` is the typed view. Only
what the user set is stored: defaults (cadences per tier, the budget) live with the
measures that use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netfolio.core.models import ServerSetting, Setting
from netfolio.core.shapes import Plain
from netfolio.errors import ValidationError

DEFAULT_WEEKLY_BUDGET = 5


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


_KEYS = tuple(f.name for f in fields(Me))


def get_me(*, db_session: Session) -> Me:
    rows = db_session.execute(select(Setting).where(Setting.key.in_(_KEYS))).scalars()
    return Me(**{row.key: row.value for row in rows})


def update_me(*, db_session: Session, **changes: Any) -> Me:
    """Set some of the user's settings (unknown keys are an error)."""
    unknown = set(changes) - set(_KEYS)
    if unknown:
        raise ValidationError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    if "weekly_budget" in changes:
        budget = changes["weekly_budget"]
        if not isinstance(budget, int) or not 0 < budget <= 100:
            raise ValidationError("the weekly budget is a number of touches from 1 to 100")
    if "targets" in changes:
        targets = changes["targets"]
        if not isinstance(targets, dict) or any(
                not isinstance(v, (int, float)) or not 0 <= v <= 1 for v in targets.values()):
            raise ValidationError("a target is a share of your network from 0% to 100%")
        total = sum(targets.values())
        if total > 1 + 1e-9:
            raise ValidationError(f"the targets add up to {total:.0%}: at most 100%")
    for key, value in changes.items():
        row = _row(db_session, key)
        if row is None:
            db_session.add(Setting(key=key, value=value))
        else:
            row.value = value
    db_session.flush()
    return get_me(db_session=db_session)


def _row(db_session: Session, key: str) -> Setting | None:
    """The acting user's row for ``key`` (sessions are scoped to their user)."""
    return db_session.execute(select(Setting).where(Setting.key == key)).scalar_one_or_none()


def get_setting(*, db_session: Session, key: str, default: Any = None) -> Any:
    row = _row(db_session, key)
    return default if row is None else row.value


def set_setting(*, db_session: Session, key: str, value: Any) -> None:
    row = _row(db_session, key)
    if row is None:
        db_session.add(Setting(key=key, value=value))
    else:
        row.value = value


def get_server_setting(*, db_session: Session, key: str, default: Any = None) -> Any:
    """A setting of the ledger itself (not of a user): see :class:`ServerSetting`."""
    row = db_session.get(ServerSetting, key)
    return default if row is None else row.value


def set_server_setting(*, db_session: Session, key: str, value: Any) -> None:
    row = db_session.get(ServerSetting, key)
    if row is None:
        db_session.add(ServerSetting(key=key, value=value))
    else:
        row.value = value
    db_session.flush()
