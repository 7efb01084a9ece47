"""Fields of work and life: the shipped taxonomy in the database, custom fields, a person's."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netfolio.core import taxonomy
from netfolio.core.models import Field, Person, PersonField
from netfolio.core.settings import get_server_setting, set_server_setting
from netfolio.errors import ValidationError

_SLUG = re.compile(r"[^a-z0-9]+")


def sync_taxonomy(*, db_session: Session) -> None:
    """Write the shipped taxonomy into the ``field`` table when its version changed."""
    version = taxonomy.taxonomy_version()
    if get_server_setting(db_session=db_session, key="taxonomy_version") == version:
        return
    existing = {f.slug: f for f in db_session.execute(select(Field)).scalars()}
    for item in taxonomy.taxonomy():
        row = existing.get(item.slug)
        if row is None:
            db_session.add(Field(slug=item.slug, name=item.name, description=item.description))
        else:
            row.name, row.description, row.custom = item.name, item.description, False
    set_server_setting(db_session=db_session, key="taxonomy_version", value=version)
    db_session.flush()


def list_fields(*, db_session: Session) -> list[tuple[Field, int]]:
    """Every field with the number of people in it."""
    counts = dict(
        db_session.execute(
            select(PersonField.field, func.count()).group_by(PersonField.field)
        ).all()
    )
    fields = db_session.execute(select(Field).order_by(Field.slug)).scalars()
    return [(f, counts.get(f.slug, 0)) for f in fields]


def resolve_field(*, db_session: Session, text: str) -> Field:
    """A field by slug or name (case-insensitive), the shipped ones and the user's own."""
    key = text.strip()
    row = db_session.get(Field, key.lower())
    if row is not None:
        return row
    rows = db_session.execute(select(Field)).scalars().all()
    for f in rows:
        if f.name.casefold() == key.casefold() or f.slug == _SLUG.sub("_", key.lower()).strip("_"):
            return f
    from rapidfuzz import process

    names = {f.slug: f.name for f in rows}
    close = process.extract(key, names, limit=3, score_cutoff=60)
    hint = f"; did you mean: {', '.join(slug for _, _, slug in close)}?" if close else ""
    raise ValidationError(f"unknown field {text!r}{hint} (see `netfolio fields`)")


def add_custom_field(*, db_session: Session, name: str, description: str = "") -> Field:
    """Add a field of the user's own (the taxonomy cannot cover every life)."""
    slug = _SLUG.sub("_", name.strip().lower()).strip("_")
    if not slug:
        raise ValidationError("a field needs a name")
    if db_session.get(Field, slug) is not None:
        raise ValidationError(f"the field {slug!r} exists already")
    row = Field(slug=slug, name=name.strip(), description=description, custom=True)
    db_session.add(row)
    db_session.flush()
    return row


def set_person_fields(
    *, db_session: Session, person: Person, fields: list[str], inferred: bool = False,
    source: str = "cli",
) -> None:
    """Replace a person's fields (slugs or names); an explicit choice overrides inference."""
    resolved = []
    for text in fields:
        slug = resolve_field(db_session=db_session, text=text).slug
        if slug not in resolved:
            resolved.append(slug)
    person.fields = [
        PersonField(field=slug, inferred=inferred, source=source) for slug in resolved
    ]


def infer_person_fields(*, db_session: Session, person: Person, source: str = "inferred") -> None:
    """Fill a person's fields from title and organisation, unless any are set already."""
    if person.fields:
        return
    found = taxonomy.infer_fields(person.title, person.organisation)
    person.fields = [PersonField(field=i.slug, inferred=True, source=source) for i in found]
