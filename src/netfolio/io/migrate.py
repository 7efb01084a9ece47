"""``netfolio migrate-to``: copy a personal ledger into a member's network in a team database.

The whole ledger (people and their addresses, fields and tags, interactions, asks,
introductions, knows edges, job changes, possible duplicates, plan actions and the user's
settings) is read from the source and written into the target as the member, with fresh
ids (the source's ids are other members' rows there), in one transaction of the target.
Before it commits, every count is read back from the target as that member (through the
row-level security policies on PostgreSQL) and must equal the source's: otherwise nothing
is written. The member must exist (``netfolio team add-user``) and own no people yet.

    >>> migrate_ledger(source=personal, target=open_target(url, "ana"))  # doctest: +SKIP
    {'people': 412, 'interactions': 9120, ...}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from netfolio.core.db import Database, open_database
from netfolio.core.models import OWNER_INDEXED, Setting
from netfolio.core.owned import ledger_tables
from netfolio.errors import DatabaseError, NotFoundError, ValidationError

#: The names counts are reported under, in this order (any other table of the ledger after
#: them, under its own name).
REPORTED: dict[str, str] = {
    "person": "people", "person_email": "emails", "person_phone": "phones",
    "person_link": "links", "person_field": "person_fields", "person_tag": "tags",
    "interaction": "interactions", "interaction_person": "interaction_people",
    "ask": "asks", "introduction": "introductions", "knows": "knows",
    "job_change": "job_changes", "possible_duplicate": "possible_duplicates",
    "plan_action": "plan_actions",
}


def counted() -> list[tuple[str, Table]]:
    """What is counted on both sides: every table of the ledger file
    (:func:`netfolio.core.owned.ledger_tables`) but the settings, checked key by key."""
    order = list(REPORTED)
    tables = sorted((t for t in ledger_tables() if t.name != Setting.__tablename__),
                    key=lambda t: (order.index(t.name) if t.name in REPORTED else len(order),
                                   t.name))
    return [(REPORTED.get(t.name, t.name), t) for t in tables]

#: ``progress(message)``: one line about what is being done, for a terminal's stderr.
Progress = Callable[[str], None]


def ledger_counts(*, db_session: Session) -> dict[str, int]:
    """How many of each the session's user holds (only their own rows: the session is
    scoped to them, and on PostgreSQL row-level security holds the same line)."""
    return {name: db_session.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in counted()}


def open_target(url: str, username: str) -> Database:
    """The team database at ``url`` (created or upgraded as any ledger is), acting for the
    member ``username``, who must exist there."""
    from netfolio.config import resolve_db_url
    from netfolio.core.users import acting_for

    if not username or not username.strip():
        raise ValidationError("say whose network to copy into: --user NAME")
    base = open_database(resolve_db_url(url))
    try:
        target = acting_for(base, username)
    except NotFoundError:
        base.close()
        raise NotFoundError(
            f"no user {username!r} in the team database: add them first with "
            f"`netfolio --db URL team add-user {username.strip().lower()}`"
        ) from None
    except BaseException:
        base.close()
        raise
    return target


def migrate_ledger(
    *, source: Database, target: Database, dry_run: bool = False,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Copy the source's ledger into the target's (empty) network; returns the counts.

    All of it is written or none: a count that does not match after the write, or any
    error, rolls the target back. A dry run does the whole copy and check, then rolls back.
    """
    from netfolio.io.export.ledger_json import ledger_data, read_ledger

    say = progress or (lambda _message: None)
    if source.url == target.url and source.user_id == target.user_id:
        raise ValidationError("the source and the target are the same network")
    with target.session() as t:  # fail before reading a big ledger (checked again below)
        _check_empty(t)
    with source.session() as s:
        counts = ledger_counts(db_session=s)
        say(f"Reading the ledger: {counts['people']:,} people, "
            f"{counts['interactions']:,} interactions")
        data = ledger_data(db_session=s)
    with target.session() as t:
        _check_empty(t)
        say(f"Writing into the team database ({'dry run' if dry_run else 'one transaction'})")
        read_ledger(db_session=t, data=data, name="the source ledger", fresh_ids=True)
        if t.get_bind().dialect.name == "postgresql":  # fresh planner statistics
            for table in (*OWNER_INDEXED, "person_stats"):
                t.execute(text(f'ANALYZE "{table}"'))
        say("Checking the counts as the member sees them")
        _check_counts(t, counts, data["settings"])
        if dry_run:
            t.rollback()
    return counts


def _check_empty(t: Session) -> None:
    have = ledger_counts(db_session=t)
    if any(have.values()):
        listed = ", ".join(f"{have[name]:,} {name}" for name in ("people", "interactions", "asks")
                           if have[name]) or "rows left by earlier work"
        raise ValidationError(
            f"this member's network in the team database is not empty ({listed}): "
            "migrate-to copies into an empty network only (nothing was written)"
        )


def _check_counts(t: Session, expected: dict[str, int], settings: dict[str, Any]) -> None:
    found = ledger_counts(db_session=t)
    wrong = [f"{name}: {expected[name]:,} in the source, {found[name]:,} in the team database"
             for name in expected if found[name] != expected[name]]
    stored = {k: v for k, v in t.execute(select(Setting.key, Setting.value))}
    wrong += [f"setting {key!r} differs" for key, value in settings.items()
              if stored.get(key) != value]
    if wrong:
        raise DatabaseError("the copy does not match its source, so nothing was written: "
                            + "; ".join(wrong))


__all__ = ["REPORTED", "counted", "ledger_counts", "migrate_ledger", "open_target"]
