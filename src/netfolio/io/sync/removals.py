"""Interactions a sync removes (a calendar event deleted, cancelled or declined on the
server), logged in the run's change log so ``netfolio import undo`` puts them back.

The run's ``import_change`` of kind :data:`INTERACTIONS_REMOVED` holds every removed row of
``interaction`` and ``interaction_person`` as it was (``old``); :func:`restore_removed`
inserts them again, ids and all (introductions and plan actions that pointed at them had
their link cleared by the database, and keep it cleared).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from netfolio.core.models import ImportChange, Interaction, InteractionPerson

#: The change kind of a run's removed interactions.
INTERACTIONS_REMOVED = "interactions_removed"


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if hasattr(value, "value") and not isinstance(value, int | str | bool):
        return value.value  # an enum (Channel, Initiator, Intent)
    return value


def _decode(column: str, value: Any) -> Any:
    if isinstance(value, dict) and "$dt" in value:
        return dt.datetime.fromisoformat(value["$dt"])
    return value


def remove_interactions(*, db_session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Delete the interactions ``ids`` (and their participants); their rows as they were,
    for :func:`log_removed` once the run's id is known."""
    if not ids:
        return []
    conn = db_session.connection()
    table, people = _table(Interaction), _table(InteractionPerson)
    columns = [c for c in table.columns if c.name != "owner_id"]
    removed: list[dict[str, Any]] = []
    for lo in range(0, len(ids), 500):
        part = list(ids[lo : lo + 500])
        rows = {r.id: r for r in conn.execute(select(*columns).where(table.c.id.in_(part)))}
        links: dict[int, list[int]] = {}
        for iid, pid in conn.execute(select(people.c.interaction_id, people.c.person_id)
                                     .where(people.c.interaction_id.in_(part))):
            links.setdefault(iid, []).append(pid)
        for iid, row in rows.items():
            removed.append({"row": {c.name: _encode(getattr(row, c.name)) for c in columns},
                            "people": links.get(iid, [])})
        conn.execute(delete(people).where(people.c.interaction_id.in_(part)))
        conn.execute(delete(table).where(table.c.id.in_(part)))
    return removed


def log_removed(*, db_session: Session, run_id: int, removed: list[dict[str, Any]]) -> None:
    """Record the removed rows in run ``run_id``'s change log (one entry per 500)."""
    for lo in range(0, len(removed), 500):
        db_session.add(ImportChange(run_id=run_id, kind=INTERACTIONS_REMOVED,
                                    old=removed[lo : lo + 500]))
    db_session.flush()


def restore_removed(conn: Any, rows: Sequence[Any]) -> int:
    """Undo: insert the interactions a run removed (``rows``: its change-log entries of kind
    :data:`INTERACTIONS_REMOVED`) with their participants still in the ledger."""
    table, people = _table(Interaction), _table(InteractionPerson)
    coded = {c.name: c.type for c in table.columns}
    items = [each for r in rows for each in (r.old or [])]
    if not items:
        return 0
    alive_people = set()
    wanted = {p for each in items for p in each["people"]}
    from netfolio.core.models import Person

    ptable = _table(Person)
    wanted_list = sorted(wanted)
    for lo in range(0, len(wanted_list), 500):
        alive_people.update(conn.execute(select(ptable.c.id).where(
            ptable.c.id.in_(wanted_list[lo : lo + 500]))).scalars())
    taken = {k for k in conn.execute(select(table.c.source_key).where(table.c.source_key.in_(
        [each["row"].get("source_key") for each in items if each["row"].get("source_key")]
    ))).scalars()} if items else set()
    restored = 0
    for each in items:
        row = {k: _decode(k, v) for k, v in each["row"].items() if k in coded}
        if row.get("source_key") in taken:
            continue  # the same event was imported again since: keep that one
        for name in ("channel", "initiator", "intent"):
            if name in row and isinstance(row[name], str):
                row[name] = _enum(name, row[name])
        row["ask_id"] = None if row.get("ask_id") is None else row["ask_id"]
        conn.execute(table.insert(), [row])
        links = [{"interaction_id": row["id"], "person_id": p} for p in each["people"]
                 if p in alive_people]
        if links:
            conn.execute(people.insert(), links)
        restored += 1
    return restored


def _enum(name: str, value: str) -> Any:
    from netfolio.core.enums import Channel, Initiator, Intent

    kind: Any = {"channel": Channel, "initiator": Initiator, "intent": Intent}[name]
    return kind(value)


__all__ = ["INTERACTIONS_REMOVED", "log_removed", "remove_interactions", "restore_removed"]
