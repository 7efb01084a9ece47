"""The demo's rows for a given seed are pinned: a refactor of the generator or the writer
that changes any row written into the ledger changes this digest (a change meant to alter
the demo updates DIGEST in the same commit)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select

from netfolio.core.db import open_database
from netfolio.core.models import Base
from netfolio.demo import generate, write

TODAY = dt.date(2026, 1, 15)
#: Every column the demo writes, per table, minus the times of the write itself.
WRITTEN = {
    "person": "id, display_name, given_name, family_name, name_key, organisation, title, "
              "location, linkedin_url, birthday_year, birthday_month, birthday_day, how_met, "
              "notes, tier_override, closeness, connected_on, source, fact_sources",
    "person_email": "id, person_id, email, kind, source",
    "person_phone": "id, person_id, e164, raw, kind, source",
    "person_field": "person_id, field, inferred, source",
    "person_tag": "person_id, tag",
    "ask": "id, person_id, direction, what, status, opened_on, closed_on, source",
    "interaction": "id, at, utc_offset, date_only, channel, initiator, intent, intent_inferred, "
                   "note, source, ask_id",
    "interaction_person": "interaction_id, person_id",
    "introduction": "id, a_id, b_id, on, note, interaction_id",
    "knows": "id, a_id, b_id, source",
    "setting": "key, value",
}
#: sha256 of the rows of a 150-person demo (seed 3) as written on SQLite and PostgreSQL.
DIGEST = "48fcde6d296966ad367ac7477e38995c68dc487d7eb22636e7b6b630590e7227"


def _plain(value: object) -> object:
    """One spelling per value (the models' types read them alike from either database)."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def ledger_digest(url: str) -> str:
    db = open_database(url)
    digest = hashlib.sha256()
    try:
        with db.session() as session:  # as the ledger's user (row-level security)
            for table, columns in WRITTEN.items():
                model = Base.metadata.tables[table]
                query = select(*(model.c[name] for name in columns.split(", ")))
                rows = session.execute(query).all()
                for row in sorted(repr(tuple(_plain(v) for v in row)) for row in rows):
                    digest.update(f"{table}:{row}\n".encode())
    finally:
        db.close()
    return digest.hexdigest()


def test_the_demo_rows_for_a_seed_are_pinned(db_url: str) -> None:
    db = open_database(db_url)
    write(db, generate(people=150, years=3, seed=3, today=TODAY))
    db.close()
    assert ledger_digest(db_url) == DIGEST
