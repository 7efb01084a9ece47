"""CSV export: one row per person, for spreadsheets and other tools.

Columns, in order (several values in one cell are joined by ``; ``):

``id``, ``display_name``, ``given_name``, ``family_name``, ``organisation``, ``title``,
``location``, ``emails``, ``phones`` (E.164), ``linkedin_url``, ``links``, ``fields``,
``tags``, ``birthday`` (``YYYY-MM-DD`` or ``--MM-DD``), ``connected_on``, ``how_met``,
``notes``, ``tier``, ``closeness``, ``source``, ``created_at``, ``updated_at``.

UTF-8 with a byte-order mark (so that Excel reads accents right), CRLF line ends.
"""

from __future__ import annotations

import csv
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from netfolio.core.models import Person
from netfolio.core.people import person_details

COLUMNS = (
    "id", "display_name", "given_name", "family_name", "organisation", "title", "location",
    "emails", "phones", "linkedin_url", "links", "fields", "tags", "birthday", "connected_on",
    "how_met", "notes", "tier", "closeness", "source", "created_at", "updated_at",
)
PAGE = 2_000


def _row(p: Person) -> list[str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        str(p.id), p.display_name, text(p.given_name), text(p.family_name),
        text(p.organisation), text(p.title), text(p.location),
        "; ".join(e.email for e in p.emails), "; ".join(x.e164 for x in p.phones),
        text(p.linkedin_url), "; ".join(link.url for link in p.links),
        "; ".join(f.field for f in p.fields), "; ".join(t.tag for t in p.tags),
        text(p.birthday), p.connected_on.isoformat() if p.connected_on else "",
        text(p.how_met), text(p.notes), text(p.tier_override), text(p.closeness), p.source,
        p.created_at.isoformat(timespec="seconds"), p.updated_at.isoformat(timespec="seconds"),
    ]


def write_csv(*, db_session: Session, out: IO[str]) -> int:
    """Write every person as a CSV row; returns how many."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count, last = 0, 0
    while True:
        people = db_session.execute(
            select(Person).where(Person.id > last).order_by(Person.id).limit(PAGE)
            .options(*person_details())
        ).scalars().all()
        if not people:
            return count
        writer.writerows(_row(p) for p in people)
        count += len(people)
        last = people[-1].id
        db_session.expunge_all()


__all__ = ["COLUMNS", "write_csv"]
