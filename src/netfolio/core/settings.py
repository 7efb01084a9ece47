"""The user ("me"): name, own addresses and fields, weekly contribution budget, cadences.

Stored as key/value rows in the ``setting`` table; :class:`Me` is the typed view. Only
what the user set is stored: the cadences' defaults live with the measures that use them,
the weekly budget's in :mod:`netfolio.core.defaults` (the measures read it too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netfolio.core.me_record import ME_KEYS, Me
from netfolio.core.models import ServerSetting, Setting
from netfolio.errors import ValidationError

_KEYS = ME_KEYS


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
