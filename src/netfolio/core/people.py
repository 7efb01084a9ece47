"""People: create, read, update, delete, find by name/email/id, merge.

Service functions take keyword arguments and a session; they validate everything before
they write, so a bad email or phone leaves the ledger as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from netfolio.core import fields as field_service
from netfolio.core.enums import TIERS
from netfolio.core.identity import (
    fold_name,
    normalise_email,
    normalise_linkedin_url,
    normalise_phone,
)
from netfolio.core.models import (
    Ask,
    InteractionPerson,
    Introduction,
    JobChange,
    Knows,
    Person,
    PersonEmail,
    PersonField,
    PersonLink,
    PersonPhone,
    PersonTag,
    PossibleDuplicate,
)
from netfolio.core.people_search import ranked_ids
from netfolio.errors import AmbiguousError, PersonNotFound, ValidationError

_BIRTHDAY = re.compile(r"^(?:(\d{4})|-)?-?(\d{1,2})-(\d{1,2})$")
_ID = re.compile(r"^#?(\d+)$")

#: scalar facts that can be set directly with create/update
SCALARS = (
    "display_name", "given_name", "family_name", "organisation", "title", "location",
    "how_met", "notes", "connected_on",
)


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None = None


def parse_birthday(text: str) -> Birthday:
    """Read ``1985-03-15``, ``--03-15`` or ``03-15`` (year unknown).

    >>> parse_birthday("--03-15")
    Birthday(month=3, day=15, year=None)
    """
    match = _BIRTHDAY.match(text.strip())
    if not match:
        raise ValidationError(f"{text!r} is not a birthday: use YYYY-MM-DD or --MM-DD")
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is fine
    except ValueError:
        raise ValidationError(f"{text!r} is not a date") from None
    return Birthday(month=month, day=day, year=year)


def _check_tier(tier: int | None) -> int | None:
    if tier is not None and tier not in TIERS:
        raise ValidationError(f"tier {tier} is not one of {', '.join(map(str, TIERS))}")
    return tier


def _check_closeness(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 5:
        raise ValidationError("closeness is a rating from 1 (acquaintance) to 5 (closest)")
    return value


def _email_owner(db_session: Session, email: str) -> Person | None:
    return db_session.execute(
        select(Person).join(PersonEmail).where(PersonEmail.email == email)
    ).scalar_one_or_none()


def _display_name(given: str | None, family: str | None, display: str | None) -> str:
    name = (display or " ".join(p for p in (given, family) if p)).strip()
    if not name:
        raise ValidationError("a person needs a name")
    return name


def create_person(
    *,
    db_session: Session,
    display_name: str | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    organisation: str | None = None,
    title: str | None = None,
    location: str | None = None,
    linkedin_url: str | None = None,
    birthday: str | None = None,
    how_met: str | None = None,
    notes: str | None = None,
    tags: Sequence[str] = (),
    fields: Sequence[str] | None = None,
    tier: int | None = None,
    closeness: int | None = None,
    connected_on: dt.date | None = None,
    region: str | None = None,
    source: str = "cli",
    new: bool = True,
) -> Person:
    """Add a person. ``fields=None`` infers fields from title and organisation.

    With ``new=False`` a person whose name is already someone's is refused (a
    :class:`~netfolio.errors.ValidationError` naming them): say ``new=True`` to add a
    namesake. An email or a LinkedIn profile that is someone's is always refused.
    """
    name = _display_name(given_name, family_name, display_name)
    if not new:
        same = db_session.execute(
            select(Person).where(Person.name_key == fold_name(name)).limit(5)
        ).scalars().all()
        if same:
            listed = "; ".join(f"#{p.id} {label(p)}" for p in same)
            raise ValidationError(
                f"{name!r} is already in the ledger: {listed}. To add another person of that "
                "name, say it is a new person (--new; on the web, tick \"A new person\")"
            )
    person = Person(
        display_name=name,
        given_name=given_name,
        family_name=family_name,
        name_key=fold_name(name),
        organisation=organisation or None,
        title=title or None,
        location=location or None,
        how_met=how_met,
        notes=notes,
        tier_override=_check_tier(tier),
        closeness=_check_closeness(closeness),
        connected_on=connected_on,
        source=source,
        fact_sources={},
    )
    if birthday:
        b = parse_birthday(birthday)
        person.birthday_year, person.birthday_month, person.birthday_day = b.year, b.month, b.day
    if linkedin_url:
        person.linkedin_url = _linkedin_or_raise(db_session, linkedin_url, None)
    for raw in emails:
        _add_email(db_session, person, raw, source)
    for raw in phones:
        _add_phone(person, raw, region, source)
    person.tags = [PersonTag(tag=t) for t in _clean_tags(tags)]
    db_session.add(person)
    if fields is None:
        field_service.infer_person_fields(db_session=db_session, person=person)
    else:
        field_service.set_person_fields(
            db_session=db_session, person=person, fields=list(fields), source=source
        )
    db_session.flush()
    return person


def _linkedin_or_raise(db_session: Session, raw: str, person: Person | None) -> str:
    url = normalise_linkedin_url(raw)
    if url is None:
        raise ValidationError(f"{raw!r} is not a LinkedIn profile URL (linkedin.com/in/...)")
    owner = db_session.execute(select(Person).where(Person.linkedin_url == url)).scalar()
    if owner is not None and owner is not person:
        raise ValidationError(f"{url} already belongs to #{owner.id} {owner.display_name}")
    return url


def _add_email(db_session: Session, person: Person, raw: str, source: str) -> None:
    kind = None
    if "=" in raw and "@" in raw.split("=", 1)[1]:
        kind, raw = raw.split("=", 1)
    email = normalise_email(raw)
    if any(e.email == email for e in person.emails):
        return
    owner = _email_owner(db_session, email)
    if owner is not None and owner is not person:
        raise ValidationError(f"{email} already belongs to #{owner.id} {owner.display_name}")
    person.emails.append(PersonEmail(email=email, kind=kind, source=source))


def _add_phone(person: Person, raw: str, region: str | None, source: str) -> None:
    kind = None
    if "=" in raw:
        kind, raw = raw.split("=", 1)
    e164 = normalise_phone(raw, region)
    if any(p.e164 == e164 for p in person.phones):
        return
    person.phones.append(PersonPhone(e164=e164, raw=raw.strip(), kind=kind, source=source))


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        t = tag.strip().lstrip("#").strip()
        if t and t not in seen:
            seen.append(t)
    return seen


def _set_scalars(person: Person, scalars: dict[str, Any], source: str) -> None:
    """Set plain facts (blank text clears one), each recorded as coming from ``source``."""
    unknown = set(scalars) - set(SCALARS)
    if unknown:
        raise ValidationError(f"unknown fact(s): {', '.join(sorted(unknown))}")
    for key, value in scalars.items():
        if isinstance(value, str):
            value = value.strip() or None
        if key == "display_name":
            value = _display_name(None, None, value)
            person.name_key = fold_name(value)
        setattr(person, key, value)
        person.fact_sources = {**(person.fact_sources or {}), key: source}


def _set_birthday(person: Person, birthday: str) -> None:
    """Set the birthday from text ("" clears it)."""
    if birthday == "":
        person.birthday_year = person.birthday_month = person.birthday_day = None
        return
    b = parse_birthday(birthday)
    person.birthday_year, person.birthday_month, person.birthday_day = b.year, b.month, b.day


def _change_emails(
    db_session: Session, person: Person, add: Sequence[str], remove: Sequence[str], source: str
) -> None:
    """Remove emails (each must be the person's), then add others."""
    for raw in remove:
        email = normalise_email(raw)
        if not any(e.email == email for e in person.emails):
            raise ValidationError(f"{person.display_name} has no email {email}")
        person.emails = [e for e in person.emails if e.email != email]
    for raw in add:
        _add_email(db_session, person, raw, source)


def update_person(
    *,
    db_session: Session,
    person: Person,
    add_emails: Sequence[str] = (),
    remove_emails: Sequence[str] = (),
    add_phones: Sequence[str] = (),
    remove_phones: Sequence[str] = (),
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    fields: Sequence[str] | None = None,
    birthday: str | None = None,
    linkedin_url: str | None = None,
    tier: int | str | None = "keep",
    closeness: int | str | None = "keep",
    region: str | None = None,
    source: str = "cli",
    **scalars: Any,
) -> Person:
    """Change some facts of a person; pass ``tier=None`` to clear the override."""
    _set_scalars(person, scalars, source)
    if birthday is not None:
        _set_birthday(person, birthday)
    if linkedin_url is not None:
        person.linkedin_url = (
            _linkedin_or_raise(db_session, linkedin_url, person) if linkedin_url else None
        )
    if tier != "keep":
        person.tier_override = _check_tier(tier)  # type: ignore[arg-type]
    if closeness != "keep":
        person.closeness = _check_closeness(closeness)  # type: ignore[arg-type]
    _change_emails(db_session, person, add_emails, remove_emails, source)
    for raw in remove_phones:
        e164 = normalise_phone(raw, region)
        person.phones = [p for p in person.phones if p.e164 != e164]
    for raw in add_phones:
        _add_phone(person, raw, region, source)
    if add_tags or remove_tags:
        drop = set(_clean_tags(remove_tags))
        kept = [t.tag for t in person.tags if t.tag not in drop]
        person.tags = [PersonTag(tag=t) for t in _clean_tags([*kept, *add_tags])]
    if fields is not None:
        field_service.set_person_fields(
            db_session=db_session, person=person, fields=list(fields), source=source
        )
    elif {"title", "organisation"} & set(scalars) and all(f.inferred for f in person.fields):
        person.fields = []
        db_session.flush()
        field_service.infer_person_fields(db_session=db_session, person=person)
    db_session.flush()
    return person


def get_person(*, db_session: Session, person_id: int) -> Person:
    # Ids past 64 bits cannot exist (and would overflow the database driver).
    person = db_session.get(Person, person_id) if 0 < person_id < 2**63 else None
    if person is None:
        raise PersonNotFound(f"#{person_id}")
    return person


def label(person: Person) -> str:
    """A short label that tells people apart: name, then organisation."""
    return f"{person.display_name} ({person.organisation})" if person.organisation else (
        person.display_name
    )


#: The longest text a name lookup or a search takes (SQLite's LIKE stops at 50,000 bytes).
MAX_QUERY_CHARS = 1_000


def check_query_length(text: str, what: str = "a name or search text") -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"{what} is at most {MAX_QUERY_CHARS:,} characters; this one has {len(text):,}"
        )


def resolve_person(*, db_session: Session, query: str) -> Person:
    """The one person named by ``query``: ``#12``/``12``, an email, a LinkedIn URL or a name.

    An unknown name raises :class:`PersonNotFound` with the closest names; a name shared
    by several people raises :class:`AmbiguousError` listing them.
    """
    text = query.strip()
    if not text:
        raise ValidationError("name a person: a name, an email or #id")
    check_query_length(text)
    if m := _ID.match(text):
        return get_person(db_session=db_session, person_id=int(m.group(1)))
    if "@" in text:
        owner = _email_owner(db_session, normalise_email(text))
        if owner is None:
            raise PersonNotFound(text)
        return owner
    if "linkedin.com" in text.lower():
        url = normalise_linkedin_url(text)
        owner = db_session.execute(select(Person).where(Person.linkedin_url == url)).scalar()
        if owner is None:
            raise PersonNotFound(text)
        return owner
    key = fold_name(text)
    exact = db_session.execute(select(Person).where(Person.name_key == key)).scalars().all()
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousError(text, [(p.id, label(p)) for p in exact])
    # A unique prefix of the name ("ana" for "Ana Núñez") is accepted too.
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    partial = db_session.execute(
        select(Person)
        .where(or_(Person.name_key.like(f"{like}%", escape="\\"),
                   Person.name_key.like(f"% {like}%", escape="\\")))
        .limit(11)
    ).scalars().all()
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise AmbiguousError(text, [(p.id, label(p)) for p in partial[:10]])
    raise PersonNotFound(text, suggest_names(db_session=db_session, query=text))


def suggest_names(*, db_session: Session, query: str, limit: int = 3) -> list[str]:
    """The names closest to ``query`` (rapidfuzz over folded names)."""
    from rapidfuzz import fuzz, process

    rows = db_session.execute(select(Person.name_key, Person.display_name)).all()
    if not rows:
        return []
    keys = [k for k, _ in rows]
    found = process.extract(
        fold_name(query), keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=60
    )
    return [rows[index][1] for _, _, index in found]


@dataclass
class PeopleQuery:
    """Filters for :func:`list_people`; every filter given must match."""

    text: str | None = None
    organisation: str | None = None
    field: str | None = None
    tag: str | None = None
    limit: int | None = None
    offset: int = 0


def _contains(column: Any, text: str) -> Any:
    like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{like.lower()}%", escape="\\")


def people_statement(query: PeopleQuery) -> Select[Any]:
    """The SELECT behind :func:`list_people` (every word of ``text`` must match somewhere)."""
    stmt = select(Person)
    check_query_length(query.text or "")
    check_query_length(query.organisation or "", "an organisation to search for")
    if query.text:
        for word in query.text.split():
            folded = fold_name(word)
            stmt = stmt.where(
                or_(
                    Person.name_key.contains(folded, autoescape=True),
                    _contains(Person.organisation, word),
                    _contains(Person.title, word),
                    _contains(Person.notes, word),
                    _contains(Person.location, word),
                    Person.id.in_(
                        select(PersonEmail.person_id).where(_contains(PersonEmail.email, word))
                    ),
                    Person.id.in_(select(PersonTag.person_id).where(PersonTag.tag == word)),
                )
            )
    if query.organisation:
        stmt = stmt.where(_contains(Person.organisation, query.organisation))
    if query.field:
        stmt = stmt.where(
            Person.id.in_(select(PersonField.person_id).where(PersonField.field == query.field))
        )
    if query.tag:
        stmt = stmt.where(
            Person.id.in_(select(PersonTag.person_id).where(PersonTag.tag == query.tag))
        )
    return stmt


def search_people_ids(*, db_session: Session, query: PeopleQuery) -> list[int]:
    """The ids of the people matching ``query``, best first (no limit applied).

    Every word of ``query.text`` must match the start of a word somewhere (case, accents and
    word endings ignored, through the people search index); people whose name matches come
    first, then organisation, then title, then everything else (fields, tags, notes, what
    they told you, place), each group by bm25. Text with an ``@`` matches emails instead.
    The other filters narrow the result; without text, people come by name.
    """
    from netfolio.core import search

    allowed: set[int] | None = None
    if query.organisation:
        phrase = search.Phrase.of(query.organisation, prefix=True)
        allowed = search.matching(db_session=db_session, phrases=[phrase] if phrase else [],
                                  column="organisation")
    rest = people_statement(PeopleQuery(field=query.field, tag=query.tag))
    text = (query.text or "").strip()
    if not text or "@" in text:
        stmt = people_statement(PeopleQuery(text=text or None, field=query.field,
                                            tag=query.tag))
        ids = list(db_session.execute(stmt.with_only_columns(Person.id)
                                      .order_by(Person.name_key, Person.id)).scalars())
        return [i for i in ids if allowed is None or i in allowed]
    keep: set[int] | None = None
    if query.field or query.tag:
        keep = set(db_session.execute(rest.with_only_columns(Person.id)).scalars())
    return [pid for pid in ranked_ids(db_session, text)
            if (allowed is None or pid in allowed) and (keep is None or pid in keep)]


def person_details() -> tuple[Any, ...]:
    """The loader options that bring people's emails, phones, links, fields and tags with
    them, one query each for a whole page of people (not one per person):
    ``select(Person).options(*person_details())``."""
    return tuple(selectinload(part) for part in (
        Person.emails, Person.phones, Person.links, Person.fields, Person.tags))


def list_people(*, db_session: Session, query: PeopleQuery | None = None) -> list[Person]:
    """People matching ``query`` with their details loaded (:func:`person_details`): best
    match first when it has text (:func:`search_people_ids`), by name otherwise."""
    query = query or PeopleQuery()
    if query.text or query.organisation:
        ids = search_people_ids(db_session=db_session, query=query)
        end = None if query.limit is None else query.offset + query.limit
        page = ids[query.offset:end]
        rows = db_session.execute(
            select(Person).where(Person.id.in_(page)).options(*person_details())).scalars()
        by_id = {p.id: p for p in rows}
        return [by_id[i] for i in page if i in by_id]
    stmt = people_statement(query).order_by(Person.name_key, Person.id)
    if query.limit is not None:
        stmt = stmt.limit(query.limit).offset(query.offset)
    stmt = stmt.options(*person_details())
    return list(db_session.execute(stmt).scalars())


def count_people(*, db_session: Session) -> int:
    return db_session.execute(select(func.count(Person.id))).scalar_one()


def delete_person(*, db_session: Session, person: Person) -> None:
    """Delete a person and everything that is only theirs (emails, ledger rows, edges)."""
    pid = person.id
    # Interactions whose only participant was this person go too.
    solo = (
        select(InteractionPerson.interaction_id)
        .group_by(InteractionPerson.interaction_id)
        .having(func.count() == 1)
        .where(InteractionPerson.interaction_id.in_(
            select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == pid)
        ))
    )
    from netfolio.core.models import Interaction

    solo_ids = [row[0] for row in db_session.execute(solo)]
    db_session.delete(person)
    db_session.flush()
    if solo_ids:
        db_session.execute(delete(Interaction).where(Interaction.id.in_(solo_ids)))


def split_person(
    *,
    db_session: Session,
    person: Person,
    name: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    linkedin: bool = False,
    interactions: Sequence[int] = (),
) -> Person:
    """The reverse of a merge: a new person (named ``name``, by default the same) gets the
    chosen emails, phones, the LinkedIn profile and interactions of ``person``.

    The two are recorded as different people (a dismissed possible duplicate), so that no
    import proposes them again; re-importing the files puts each record with the person who
    has its key.
    """
    wanted_emails = {normalise_email(e) for e in emails}
    have = {e.email: e for e in person.emails}
    missing = sorted(wanted_emails - set(have))
    if missing:
        raise ValidationError(f"{person.display_name} has no email {missing[0]}")
    wanted_phones = {normalise_phone(p) for p in phones}
    have_phones = {p.e164: p for p in person.phones}
    missing = sorted(wanted_phones - set(have_phones))
    if missing:
        raise ValidationError(f"{person.display_name} has no phone {missing[0]}")
    if linkedin and not person.linkedin_url:
        raise ValidationError(f"{person.display_name} has no LinkedIn profile")
    theirs = set(db_session.execute(
        select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == person.id)
    ).scalars())
    unknown = sorted(set(interactions) - theirs)
    if unknown:
        raise ValidationError(f"interaction #{unknown[0]} is not with {person.display_name}")
    if not (wanted_emails or wanted_phones or linkedin or interactions):
        raise ValidationError("choose what to move: emails, phones, the LinkedIn profile or "
                              "interactions")
    display = " ".join((name or person.display_name).split())
    new = Person(display_name=display, name_key=fold_name(display), source="split",
                 fact_sources={})
    if display == person.display_name:
        new.given_name, new.family_name = person.given_name, person.family_name
    db_session.add(new)
    db_session.flush()
    for email in wanted_emails:
        have[email].person = new
    for e164 in wanted_phones:
        have_phones[e164].person = new
    if linkedin:
        new_url, person.linkedin_url = person.linkedin_url, None
        db_session.flush()
        new.linkedin_url = new_url
    if interactions:
        db_session.execute(
            update(InteractionPerson)
            .where(InteractionPerson.person_id == person.id,
                   InteractionPerson.interaction_id.in_(list(interactions)))
            .values(person_id=new.id)
        )
    a, b = sorted((person.id, new.id))
    db_session.add(PossibleDuplicate(a_id=a, b_id=b, score=0.0, reason="split by hand",
                                     status="dismissed", resolved_at=dt.datetime.now(dt.UTC)))
    field_service.infer_person_fields(db_session=db_session, person=new)
    db_session.flush()
    db_session.refresh(person)
    return new


#: The label of a LinkedIn profile kept as a link when two people with a profile each merge.
LINKEDIN_LINK_LABEL = "LinkedIn"


def merge_people(*, db_session: Session, keep: Person, other: Person) -> Person:
    """Merge ``other`` into ``keep``: every fact is kept, with its source; ``other`` is removed.

    Scalar facts ``keep`` lacks are taken from ``other``; notes are joined; emails,
    phones, links, fields, tags, interactions, asks, introductions, knows edges, job changes
    and possible-duplicate proposals move.
    """
    if keep.id == other.id:
        raise ValidationError("cannot merge a person with themselves")
    _merge_facts(db_session, keep, other)
    _move_details(keep, other)
    db_session.flush()
    _move_ledger_rows(db_session, keep.id, other.id)
    db_session.flush()
    db_session.expire(other)
    db_session.delete(other)
    db_session.flush()
    db_session.refresh(keep)
    return keep


def _merge_facts(db_session: Session, keep: Person, other: Person) -> None:
    """The other's scalar facts ``keep`` lacks, values that differ kept beside them with
    their sources, the earlier connected-on date, and both notes."""
    sources = dict(keep.fact_sources or {})
    for attr in ("given_name", "family_name", "organisation", "title", "location",
                 "linkedin_url", "birthday_year", "birthday_month", "birthday_day",
                 "how_met", "tier_override", "closeness", "connected_on"):
        if getattr(keep, attr) is None and getattr(other, attr) is not None:
            value = getattr(other, attr)
            if attr == "linkedin_url":
                other.linkedin_url = None
                db_session.flush()
            setattr(keep, attr, value)
            sources[attr] = (other.fact_sources or {}).get(attr, other.source)
    # A value of the other's that differs from the one kept is kept beside it, with its
    # source, as imports keep another source's value (so importing it again changes nothing).
    others = {k: [list(x) for x in v] for k, v in (sources.get("other_values") or {}).items()}
    for attr in ("organisation", "title", "location"):
        theirs, mine = getattr(other, attr), getattr(keep, attr)
        if theirs and mine and theirs != mine:
            entry = [theirs, (other.fact_sources or {}).get(attr, other.source)]
            if entry not in others.setdefault(attr, []):
                others[attr].append(entry)
        for entry in ((other.fact_sources or {}).get("other_values") or {}).get(attr, []):
            if list(entry) not in others.setdefault(attr, []):
                others[attr].append(list(entry))
    others = {k: v for k, v in others.items() if v}
    if others:
        sources["other_values"] = others
    if keep.connected_on and other.connected_on:
        keep.connected_on = min(keep.connected_on, other.connected_on)
    if other.notes:
        keep.notes = f"{keep.notes}\n\n{other.notes}" if keep.notes else other.notes
    keep.fact_sources = sources


def _move_details(keep: Person, other: Person) -> None:
    """Emails, phones, links, fields and tags move to ``keep`` (without duplicates)."""
    have = {e.email for e in keep.emails}
    for e in list(other.emails):
        if e.email not in have:
            e.person = keep
    have_phones = {p.e164 for p in keep.phones}
    for p in list(other.phones):
        if p.e164 not in have_phones:
            p.person = keep
    for link in list(other.links):
        link.person = keep
    if other.linkedin_url and keep.linkedin_url and other.linkedin_url != keep.linkedin_url:
        # Two profiles, one person (the user said so): the other profile stays as a link,
        # where an import finds it again (netfolio.io.import_match.load_keys).
        keep.links.append(PersonLink(url=other.linkedin_url, label=LINKEDIN_LINK_LABEL,
                                     source=(other.fact_sources or {}).get(
                                         "linkedin_url", other.source) or "merge"))
    have_fields = {f.field for f in keep.fields}
    for f in list(other.fields):
        if f.field not in have_fields:
            keep.fields.append(PersonField(field=f.field, inferred=f.inferred, source=f.source))
    tags = [t.tag for t in keep.tags] + [t.tag for t in other.tags]
    keep.tags = [PersonTag(tag=t) for t in _clean_tags(tags)]


def _move_ledger_rows(db_session: Session, kid: int, oid: int) -> None:
    """Re-point the ledger's rows at ``kid``, dropping what would become a duplicate."""
    shared = select(InteractionPerson.interaction_id).where(InteractionPerson.person_id == kid)
    db_session.execute(
        delete(InteractionPerson).where(
            InteractionPerson.person_id == oid, InteractionPerson.interaction_id.in_(shared)
        )
    )
    db_session.execute(
        update(InteractionPerson).where(InteractionPerson.person_id == oid).values(person_id=kid)
    )
    db_session.execute(update(Ask).where(Ask.person_id == oid).values(person_id=kid))
    db_session.execute(update(JobChange).where(JobChange.person_id == oid).values(person_id=kid))
    _move_proposals(db_session, kid, oid)
    db_session.execute(update(Introduction).where(Introduction.a_id == oid).values(a_id=kid))
    db_session.execute(update(Introduction).where(Introduction.b_id == oid).values(b_id=kid))
    edges = db_session.execute(
        select(Knows).where(or_(Knows.a_id == oid, Knows.b_id == oid))
    ).scalars().all()
    existing = {
        (k.a_id, k.b_id, k.source)
        for k in db_session.execute(
            select(Knows).where(or_(Knows.a_id == kid, Knows.b_id == kid))
        ).scalars()
    }
    for edge in edges:
        a = kid if edge.a_id == oid else edge.a_id
        b = kid if edge.b_id == oid else edge.b_id
        a, b = min(a, b), max(a, b)
        if a == b or (a, b, edge.source) in existing:
            db_session.delete(edge)
        else:
            edge.a_id, edge.b_id = a, b
            existing.add((a, b, edge.source))


def _move_proposals(db_session: Session, keep: int, other: int) -> None:
    """The other's proposals now concern the person kept (where not already proposed)."""
    rows = db_session.execute(
        select(PossibleDuplicate).where(
            or_(PossibleDuplicate.a_id == other, PossibleDuplicate.b_id == other),
            PossibleDuplicate.status != "merged",
        )
    ).scalars().all()
    if not rows:
        return
    have = {
        (d.a_id, d.b_id) for d in db_session.execute(
            select(PossibleDuplicate).where(
                or_(PossibleDuplicate.a_id == keep, PossibleDuplicate.b_id == keep)
            )
        ).scalars()
    }
    moved = []
    for d in rows:
        third = d.b_id if d.a_id == other else d.a_id
        pair = (min(keep, third), max(keep, third))
        db_session.delete(d)
        if third != keep and pair not in have:
            have.add(pair)
            moved.append(PossibleDuplicate(
                a_id=pair[0], b_id=pair[1], score=d.score, reason=d.reason, status=d.status,
                run_id=d.run_id, created_at=d.created_at, resolved_at=d.resolved_at,
            ))
    db_session.flush()
    db_session.add_all(moved)


