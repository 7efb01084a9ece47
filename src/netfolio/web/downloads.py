"""A list as a file: the People page's list (its filters and sort kept) as CSV or JSON.

The CSV is what a spreadsheet opens well: UTF-8 with a byte-order mark, CRLF line ends,
several values in one cell joined by ``; `` (as ``netfolio export csv``), and a cell that
begins like a formula (``=``, ``+``, ``-``, ``@``) prefixed with ``'`` so that an imported
name cannot run as one. The JSON is an array with one object per person: their record and
their standing (strength, tier, last contact, goodwill) on the day.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netfolio.network import PersonInfo
    from netfolio.reports import PersonStanding

Row = tuple["PersonInfo", "PersonStanding | None"]

COLUMNS = (
    "id", "name", "organisation", "title", "location", "fields", "tags", "emails", "phones",
    "linkedin_url", "birthday", "tier", "strength", "last_contact", "overdue", "goodwill",
    "relationship",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _values(p: PersonInfo, st: PersonStanding | None, names: dict[str, str]) -> list[object]:
    return [
        p.id, p.display_name, p.organisation, p.title, p.location,
        "; ".join(names.get(f, f) for f in p.fields), "; ".join(p.tags),
        "; ".join(p.emails), "; ".join(p.phones), p.linkedin_url, p.birthday,
        (st.tier or "outer") if st else None,
        round(st.strength, 1) if st else None, st.last_contact if st else None,
        ("yes" if st.overdue else "no") if st else None,
        round(st.goodwill, 1) if st else None,
        ("yes" if st.relationship else "no") if st else None,
    ]


def people_csv(rows: Iterable[Row], names: dict[str, str]) -> Iterator[str]:
    """The rows as CSV text, a chunk at a time (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, (p, st) in enumerate(rows, 1):
        writer.writerow([_cell(v) for v in _values(p, st, names)])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def person_object(p: PersonInfo, st: PersonStanding | None) -> dict[str, Any]:
    """One person of the JSON download: the record, and the standing (or null)."""
    record = p.to_dict()
    record.pop("fact_sources", None)
    record["standing"] = None if st is None else {
        "strength": round(st.strength, 2), "tier": st.tier,
        "tier_set_by_you": st.tier_set_by_you, "last_contact": st.last_contact,
        "days_since": st.days_since, "cadence_days": st.cadence_days, "overdue": st.overdue,
        "goodwill": round(st.goodwill, 2), "relationship": st.relationship,
    }
    return record


def people_json(rows: Iterable[Row]) -> Iterator[str]:
    """The rows as a JSON array, a person at a time."""
    yield "["
    for n, (p, st) in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(person_object(p, st), ensure_ascii=False)
    yield "\n]\n"
