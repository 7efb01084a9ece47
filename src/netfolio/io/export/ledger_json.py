"""The JSON ledger: everything netfolio holds, in one versioned file, and back.

Written by ``netfolio export json FILE`` and ``netfolio backup FILE.json``; read back by
``netfolio restore FILE.json`` into an empty ledger (any database), with the same ids, so
that exporting again gives the very same file; ``netfolio migrate-to`` reads one into a
member's empty network of a team database with fresh ids (``fresh_ids=True``), since the
source's ids are other members' rows there. Layout (version 1)::

    {"format": "netfolio-ledger", "version": 1,
     "settings": {key: value},                       the user's settings ("me", ...)
     "fields": [{slug, name, description, custom}],  the taxonomy and the user's own fields
     "people": [{id, display_name, ..., fact_sources, emails: [...], phones: [...],
                 links: [...], fields: [...], tags: [...]}],
     "interactions": [{id, at, utc_offset, when, ..., people: [ids]}],
     "asks": [...], "introductions": [...], "knows": [...],
     "job_changes": [...], "possible_duplicates": [...], "plan_actions": [...],
     "tables": {table: [{column: value}]}}          any other table of the ledger

``tables`` holds the rows of every table of the ledger (:func:`netfolio.core.owned.
ledger_tables`, the user's own tables) that no section above shapes, column by column, so
that a new table is backed up, restored and migrated without code here; it is left out when
there is none (today's tables all have a section).

Vocabularies are written as their words (``in_person``, ``catch_up``), times as ISO 8601
with their offset, dates as ``YYYY-MM-DD``, a birthday without a year as ``--MM-DD``, photos
as base64. Import history (runs and their change log) is not part of the ledger file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import Column, Table, func, insert, select
from sqlalchemy.orm import Session

from netfolio.core.bulk import BulkWriter
from netfolio.core.db import advance_sequence_sql
from netfolio.core.enums import AskDirection, AskStatus, Channel, EdgeSource, Initiator, Intent
from netfolio.core.identity import fold_name
from netfolio.core.models import (
    Ask,
    Field,
    Interaction,
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
    PlanAction,
    PossibleDuplicate,
    Setting,
)
from netfolio.core.owned import ledger_tables
from netfolio.errors import ImportError_, ValidationError

FORMAT = "netfolio-ledger"
VERSION = 1
#: Settings of the ledger rather than its user: kept in ``server_setting`` since revision
#: 0004 and never exported; JSON ledgers written before it may hold them, and they are
#: not read back as the user's.
INTERNAL_SETTINGS = frozenset({"taxonomy_version", "web_password_hash", "web_session_secret"})
#: Interactions read per query while exporting.
PAGE = 5_000

_PERSON = (
    "id", "display_name", "given_name", "family_name", "organisation", "title", "location",
    "linkedin_url", "birthday", "how_met", "notes", "tier_override", "closeness",
    "connected_on", "photo", "source", "fact_sources", "created_at", "updated_at",
)


def _text(value: Any) -> Any:
    """A value as the JSON ledger writes it."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _rows(db_session: Session, model: Any, order: Any) -> Iterator[Any]:
    table: Table = model.__table__
    return iter(db_session.execute(select(table).order_by(*order)).mappings())


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False)


class _Out:
    """Writes the ledger's sections one item per line."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.first_section = True

    def header(self, settings: dict[str, Any]) -> None:
        self.out.write(f'{{"format": "{FORMAT}", "version": {VERSION},\n')
        self.out.write(' "settings": ' + json.dumps(settings, ensure_ascii=False,
                                                   sort_keys=True) + ",\n")

    def section(self, name: str, items: Iterator[dict[str, Any]]) -> int:
        self.out.write(("" if self.first_section else ",\n") + f' "{name}": [')
        self.first_section = False
        count = 0
        for item in items:
            self.out.write(("\n  " if count == 0 else ",\n  ") + _line(item))
            count += 1
        self.out.write("\n ]" if count else "]")
        return count

    def end(self) -> None:
        self.out.write("\n}\n")


def write_ledger(*, db_session: Session, out: IO[str]) -> dict[str, int]:
    """Write the whole ledger as JSON to ``out``; returns how many of each were written."""
    settings = _settings(db_session)
    w = _Out(out)
    w.header(settings)
    counts = {name: w.section(name, items(db_session)) for name, items in _SECTIONS}
    others = _other_rows(db_session)
    if others:
        w.out.write(',\n "tables": {' + ",".join(
            f"\n  {json.dumps(name)}: [" + ",".join(f"\n   {_line(row)}" for row in rows)
            + ("\n  ]" if rows else "]") for name, rows in others.items()) + "\n }")
        counts.update({name: len(rows) for name, rows in others.items()})
    w.end()
    return counts


def ledger_data(*, db_session: Session) -> dict[str, Any]:
    """The whole ledger as :func:`read_ledger` takes it, without a file in between (what
    :func:`write_ledger` writes, parsed back)."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "settings": _settings(
        db_session)}
    for name, items in _SECTIONS:
        data[name] = list(items(db_session))
    others = _other_rows(db_session)
    if others:
        data["tables"] = others
    return data


def _settings(s: Session) -> dict[str, Any]:
    return {k: v for k, v in s.execute(select(Setting.key, Setting.value))
            if k not in INTERNAL_SETTINGS}


def _fields(s: Session) -> Iterator[dict[str, Any]]:
    for f in s.execute(select(Field).order_by(Field.slug)).scalars():
        yield {"slug": f.slug, "name": f.name, "description": f.description, "custom": f.custom}


def _children(s: Session) -> dict[str, dict[int, list[Any]]]:
    found: dict[str, dict[int, list[Any]]] = {}
    for name, model, columns, order in (
        ("emails", PersonEmail, ("email", "kind", "source"), (PersonEmail.id,)),
        ("phones", PersonPhone, ("e164", "raw", "kind", "source"), (PersonPhone.id,)),
        ("links", PersonLink, ("url", "label", "source"), (PersonLink.id,)),
        ("fields", PersonField, ("field", "inferred", "source"), (PersonField.field,)),
    ):
        by_person: dict[int, list[Any]] = defaultdict(list)
        for row in _rows(s, model, order):
            by_person[row["person_id"]].append({c: row[c] for c in columns})
        found[name] = by_person
    tags: dict[int, list[Any]] = defaultdict(list)
    for pid, tag in s.execute(select(PersonTag.person_id, PersonTag.tag).order_by(PersonTag.tag)):
        tags[pid].append(tag)
    found["tags"] = tags
    return found


def _people(s: Session) -> Iterator[dict[str, Any]]:
    children = _children(s)
    table = Person.__table__
    for row in s.execute(select(table).order_by(table.c.id)).mappings():
        item: dict[str, Any] = {}
        for key in _PERSON:
            if key == "birthday":
                month, day = row["birthday_month"], row["birthday_day"]
                year = row["birthday_year"]
                item[key] = None if month is None or day is None else (
                    f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
                )
            else:
                item[key] = _text(row[key])
        for name, by_person in children.items():
            item[name] = by_person.get(row["id"], [])
        yield item


def _interactions(s: Session) -> Iterator[dict[str, Any]]:
    table = Interaction.__table__
    top = s.execute(select(func.max(table.c.id))).scalar() or 0
    for lo in range(1, top + 1, PAGE):
        hi = lo + PAGE - 1
        people: dict[int, list[int]] = defaultdict(list)
        for iid, pid in s.execute(
            select(InteractionPerson.interaction_id, InteractionPerson.person_id)
            .where(InteractionPerson.interaction_id.between(lo, hi))
            .order_by(InteractionPerson.interaction_id, InteractionPerson.person_id)
        ):
            people[iid].append(pid)
        for row in s.execute(
            select(table).where(table.c.id.between(lo, hi)).order_by(table.c.id)
        ).mappings():
            tz = dt.timezone(dt.timedelta(minutes=row["utc_offset"]))
            when = dt.datetime.fromtimestamp(row["at"], dt.UTC).astimezone(tz)
            yield {
                "id": row["id"], "at": row["at"], "utc_offset": row["utc_offset"],
                "when": when.date().isoformat() if row["date_only"] else when.isoformat(),
                "date_only": row["date_only"], "channel": row["channel"].value,
                "initiator": row["initiator"].value, "intent": row["intent"].value,
                "intent_inferred": row["intent_inferred"], "note": row["note"],
                "content": row["content"], "source": row["source"],
                "source_key": row["source_key"], "ask_id": row["ask_id"],
                "created_at": _text(row["created_at"]), "people": people.get(row["id"], []),
            }


def _asks(s: Session) -> Iterator[dict[str, Any]]:
    for row in _rows(s, Ask, (Ask.id,)):
        yield {
            "id": row["id"], "person_id": row["person_id"], "direction": row["direction"].value,
            "what": row["what"], "status": row["status"].value,
            "opened_on": _text(row["opened_on"]), "closed_on": _text(row["closed_on"]),
            "source": row["source"],
        }


def _introductions(s: Session) -> Iterator[dict[str, Any]]:
    for row in _rows(s, Introduction, (Introduction.id,)):
        yield {"id": row["id"], "a_id": row["a_id"], "b_id": row["b_id"],
               "on": _text(row["on"]), "note": row["note"],
               "interaction_id": row["interaction_id"]}


def _knows(s: Session) -> Iterator[dict[str, Any]]:
    for row in _rows(s, Knows, (Knows.id,)):
        yield {"id": row["id"], "a_id": row["a_id"], "b_id": row["b_id"],
               "source": row["source"].value, "strength_hint": row["strength_hint"],
               "created_at": _text(row["created_at"])}


def _job_changes(s: Session) -> Iterator[dict[str, Any]]:
    for row in _rows(s, JobChange, (JobChange.id,)):
        yield {k: _text(row[k]) for k in (
            "id", "person_id", "old_title", "new_title", "old_organisation", "new_organisation",
            "seen_on", "created_at")}


def _plan_actions(s: Session) -> Iterator[dict[str, Any]]:
    for row in _rows(s, PlanAction, (PlanAction.id,)):
        yield {k: _text(row[k]) for k in (
            "id", "person_id", "week", "action", "until", "on", "interaction_id", "created_at")}


def _duplicates(s: Session) -> Iterator[dict[str, Any]]:
    for row in _rows(s, PossibleDuplicate, (PossibleDuplicate.id,)):
        yield {k: _text(row[k]) for k in (
            "id", "a_id", "b_id", "score", "reason", "status", "created_at", "resolved_at")}


#: The tables the sections above (and the settings) write, each in a shape of its own.
_SHAPED = frozenset({
    "setting", "person", "person_email", "person_phone", "person_link", "person_field",
    "person_tag", "interaction", "interaction_person", "ask", "introduction", "knows",
    "job_change", "possible_duplicate", "plan_action",
})


def _other_tables() -> list[Table]:
    """The tables of the ledger no section shapes (parents first): written in "tables"."""
    return [t for t in ledger_tables() if t.name not in _SHAPED]


def _columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if c.name != "owner_id"]  # the database fills it in


def _other_rows(s: Session) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for table in _other_tables():
        columns = _columns(table)
        rows = s.execute(select(*columns).order_by(*table.primary_key.columns)).mappings()
        found[table.name] = [{c.name: _text(row[c.name]) for c in columns} for row in rows]
    return found


#: The ledger's sections, in the order they are written.
_SECTIONS: tuple[tuple[str, Callable[[Session], Iterator[dict[str, Any]]]], ...] = (
    ("fields", _fields), ("people", _people), ("interactions", _interactions),
    ("asks", _asks), ("introductions", _introductions), ("knows", _knows),
    ("job_changes", _job_changes), ("possible_duplicates", _duplicates),
    ("plan_actions", _plan_actions),
)


# --- reading it back ---------------------------------------------------------------------------


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _birthday(value: str | None) -> tuple[int | None, int | None, int | None]:
    if not value:
        return None, None, None
    if value.startswith("--"):
        month, day = value[2:].split("-")
        return None, int(month), int(day)
    year, month, day = value.split("-")
    return int(year), int(month), int(day)


def is_ledger(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def read_ledger(
    *, db_session: Session, data: dict[str, Any], name: str = "ledger", fresh_ids: bool = False,
) -> dict[str, int]:
    """Write a parsed JSON ledger into this (empty) ledger, ids and all.

    With ``fresh_ids`` every row gets a new id from its table (people, interactions, asks,
    ...) and every reference follows it: what a team database needs, where the file's ids
    may be other members' rows. Raises ValidationError when the ledger is not empty,
    ImportError_ when the file is not a netfolio ledger or is damaged (nothing is written:
    the caller's transaction rolls back).
    """
    if not is_ledger(data):
        raise ImportError_("not a netfolio JSON ledger (no \"format\": \"netfolio-ledger\")",
                           file=name)
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ImportError_(
            f"ledger version {version!r} is newer than this netfolio reads ({VERSION}): "
            "upgrade netfolio", file=name,
        )
    if _has_rows(db_session):
        raise ValidationError(
            "this ledger is not empty: restore a JSON ledger into a new one (--db NEW), "
            "or pass --replace"
        )
    try:
        return _write(db_session, data, fresh_ids=fresh_ids)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ImportError_(f"damaged ledger file ({type(exc).__name__}: {exc})",
                           file=name) from None


def _has_rows(s: Session) -> bool:
    for model in (Person, Interaction, Ask):
        if s.execute(select(model.id).limit(1)).first() is not None:
            return True
    return False


def _write(s: Session, data: dict[str, Any], *, fresh_ids: bool = False) -> dict[str, int]:
    w = BulkWriter(s)
    w.big_cache()
    try:
        return _write_all(s, w, data, fresh_ids=fresh_ids)
    finally:
        w.close()


class _Ids:
    """The ids a section's rows are written with: the file's own, or (fresh) new ones drawn
    from the table, with the map that references to them follow. An id the file does not
    hold is a damaged file (KeyError)."""

    def __init__(self, w: BulkWriter, table: str, items: list[dict[str, Any]],
                 fresh: bool) -> None:
        self.map: dict[int, int] | None = None
        if fresh:
            old = [int(x["id"]) for x in items]
            self.map = dict(zip(old, w.new_ids(table, len(old)), strict=True))
            if len(self.map) != len(old):
                raise ValueError(f"the same id twice in {table}")

    def of(self, old: Any) -> int:
        return int(old) if self.map is None else self.map[int(old)]

    def maybe(self, old: Any) -> int | None:
        return None if old is None else self.of(old)


def _write_all(s: Session, w: BulkWriter, data: dict[str, Any], *,
               fresh_ids: bool = False) -> dict[str, int]:
    settings = {k: v for k, v in (data.get("settings") or {}).items()
                if k not in INTERNAL_SETTINGS}
    if settings:
        w.many('DELETE FROM "setting" WHERE "key" = ?', [(k,) for k in settings])
        w.insert("setting", ("key", "value"), [(k, w.json(v)) for k, v in settings.items()])
    have = set(s.execute(select(Field.slug)).scalars())
    w.insert("field", ("slug", "name", "description", "custom"), [
        (f["slug"], f["name"], f.get("description") or "", w.flag(f.get("custom", False)))
        for f in data.get("fields", []) if f["slug"] not in have
    ])
    people = data.get("people", [])
    person = _Ids(w, "person", people, fresh_ids)
    rows, emails, phones, links, fields, tags = [], [], [], [], [], []
    for p in people:
        year, month, day = _birthday(p.get("birthday"))
        photo = base64.b64decode(p["photo"]) if p.get("photo") else None
        pid = person.of(p["id"])
        rows.append((
            pid, p["display_name"], p.get("given_name"), p.get("family_name"),
            fold_name(p["display_name"]), p.get("organisation"), p.get("title"),
            p.get("location"), p.get("linkedin_url"), year, month, day, p.get("how_met"),
            p.get("notes"), p.get("tier_override"), p.get("closeness"),
            w.day(_day(p.get("connected_on"))), photo, p.get("source") or "json",
            w.json(p.get("fact_sources") or {}), w.stamp(_moment(p.get("created_at"))),
            w.stamp(_moment(p.get("updated_at"))),
        ))
        emails += [(pid, e["email"], e.get("kind"), e.get("source") or "json")
                   for e in p.get("emails", [])]
        phones += [(pid, x["e164"], x.get("raw") or x["e164"], x.get("kind"),
                    x.get("source") or "json") for x in p.get("phones", [])]
        links += [(pid, x["url"], x.get("label"), x.get("source") or "json")
                  for x in p.get("links", [])]
        fields += [(pid, x["field"], w.flag(bool(x.get("inferred"))), x.get("source") or "json")
                   for x in p.get("fields", [])]
        tags += [(pid, t) for t in p.get("tags", [])]
    w.insert("person", (
        "id", "display_name", "given_name", "family_name", "name_key", "organisation", "title",
        "location", "linkedin_url", "birthday_year", "birthday_month", "birthday_day",
        "how_met", "notes", "tier_override", "closeness", "connected_on", "photo", "source",
        "fact_sources", "created_at", "updated_at"), rows)
    w.insert("person_email", ("person_id", "email", "kind", "source"), emails)
    w.insert("person_phone", ("person_id", "e164", "raw", "kind", "source"), phones)
    w.insert("person_link", ("person_id", "url", "label", "source"), links)
    w.insert("person_field", ("person_id", "field", "inferred", "source"), fields)
    w.insert("person_tag", ("person_id", "tag"), tags)
    asks = data.get("asks", [])
    ask = _Ids(w, "ask", asks, fresh_ids)
    w.insert("ask", ("id", "person_id", "direction", "what", "status", "opened_on",
                     "closed_on", "source"), [
        (ask.of(a["id"]), person.of(a["person_id"]), AskDirection.parse(a["direction"]).code,
         a["what"], AskStatus.parse(a["status"]).code, w.day(_day(a["opened_on"])),
         w.day(_day(a.get("closed_on"))), a.get("source") or "json") for a in asks
    ])
    interactions = data.get("interactions", [])
    interaction = _Ids(w, "interaction", interactions, fresh_ids)
    w.insert("interaction", (
        "id", "at", "utc_offset", "date_only", "channel", "initiator", "intent",
        "intent_inferred", "note", "content", "source", "source_key", "ask_id", "created_at"), [
        (interaction.of(i["id"]), int(i["at"]), int(i.get("utc_offset") or 0),
         w.flag(bool(i.get("date_only"))), Channel.parse(i["channel"]).code,
         Initiator.parse(i["initiator"]).code, Intent.parse(i["intent"]).code,
         w.flag(bool(i.get("intent_inferred"))), i.get("note"), i.get("content"),
         i.get("source") or "json", i.get("source_key"), ask.maybe(i.get("ask_id")),
         w.stamp(_moment(i.get("created_at")))) for i in interactions
    ])
    w.insert("interaction_person", ("interaction_id", "person_id"), [
        (interaction.of(i["id"]), person.of(pid))
        for i in interactions for pid in i.get("people", [])
    ])
    intros = data.get("introductions", [])
    intro = _Ids(w, "introduction", intros, fresh_ids)
    w.insert("introduction", ("id", "a_id", "b_id", "on", "note", "interaction_id"), [
        (intro.of(x["id"]), person.of(x["a_id"]), person.of(x["b_id"]), w.day(_day(x["on"])),
         x.get("note"), interaction.maybe(x.get("interaction_id"))) for x in intros
    ])
    knows = data.get("knows", [])
    edge = _Ids(w, "knows", knows, fresh_ids)
    w.insert("knows", ("id", "a_id", "b_id", "source", "strength_hint", "created_at"), [
        (edge.of(k["id"]), person.of(k["a_id"]), person.of(k["b_id"]),
         EdgeSource.parse(k["source"]).code, k.get("strength_hint"),
         w.stamp(_moment(k.get("created_at")))) for k in knows
    ])
    jobs = data.get("job_changes", [])
    job = _Ids(w, "job_change", jobs, fresh_ids)
    w.insert("job_change", ("id", "person_id", "old_title", "new_title", "old_organisation",
                            "new_organisation", "seen_on", "created_at"), [
        (job.of(j["id"]), person.of(j["person_id"]), j.get("old_title"), j.get("new_title"),
         j.get("old_organisation"), j.get("new_organisation"), w.day(_day(j["seen_on"])),
         w.stamp(_moment(j.get("created_at")))) for j in jobs
    ])
    dups = data.get("possible_duplicates", [])
    dup = _Ids(w, "possible_duplicate", dups, fresh_ids)
    w.insert("possible_duplicate", ("id", "a_id", "b_id", "score", "reason", "status",
                                    "created_at", "resolved_at"), [
        (dup.of(d["id"]), person.of(d["a_id"]), person.of(d["b_id"]), float(d["score"]),
         d["reason"], d["status"], w.stamp(_moment(d.get("created_at"))),
         w.stamp(_moment(d.get("resolved_at")))) for d in dups
    ])
    actions = data.get("plan_actions", [])
    action = _Ids(w, "plan_action", actions, fresh_ids)
    w.insert("plan_action", ("id", "person_id", "week", "action", "until", "on",
                             "interaction_id", "created_at"), [
        (action.of(a["id"]), person.of(a["person_id"]), w.day(_day(a["week"])), a["action"],
         w.day(_day(a["until"])) if a.get("until") else None, w.day(_day(a["on"])),
         interaction.maybe(a.get("interaction_id")), w.stamp(_moment(a.get("created_at"))))
        for a in actions
    ])
    _write_others(s, w, data.get("tables") or {}, {
        "person": person, "ask": ask, "interaction": interaction, "introduction": intro,
        "knows": edge, "job_change": job, "possible_duplicate": dup, "plan_action": action,
    }, fresh_ids)
    if not w.sqlite and not fresh_ids:  # fresh ids came from the sequences themselves
        for table in ledger_tables():
            if "id" in table.c and table.c.id.primary_key:
                w.execute(advance_sequence_sql(table.name))
    return {"people": len(people), "interactions": len(interactions), "asks": len(asks),
            "introductions": len(intros), "knows": len(knows)}


def _write_others(s: Session, w: BulkWriter, tables: dict[str, Any], ids: dict[str, _Ids],
                  fresh_ids: bool) -> None:
    """Write the file's "tables" (a table this netfolio does not hold is a damaged file,
    KeyError), parents first; each reference follows the ids of the table it names."""
    known = {t.name for t in _other_tables()}
    unknown = sorted(set(tables) - known)
    if unknown:
        raise KeyError(f"tables this netfolio does not have (a newer one wrote the file?): "
                       f"{', '.join(unknown)}")
    for table in _other_tables():
        items = tables.get(table.name) or []
        if not items:
            continue
        follows = {c.name: ids[fk.column.table.name] for c in _columns(table)
                   for fk in c.foreign_keys if fk.column.table.name in ids}
        if "id" in table.c and table.c.id.primary_key:
            follows["id"] = ids[table.name] = _Ids(w, table.name, items, fresh_ids)
        rows = [{c.name: (follows[c.name].maybe(item.get(c.name)) if c.name in follows
                          else _typed(c, item.get(c.name))) for c in _columns(table)}
                for item in items]
        s.execute(insert(table), rows)


def _typed(column: Column[Any], value: Any) -> Any:
    """A value as the file writes it (:func:`_text`), back as its column holds it."""
    if value is None:
        return None
    try:  # a TypeDecorator (UtcDateTime, Coded) says what it stores through its impl
        kind = getattr(column.type, "impl_instance", column.type).python_type
    except NotImplementedError:
        return value
    if kind is dt.datetime:
        return _moment(value)
    if kind is dt.date:
        return _day(value)
    if kind is bytes:
        return base64.b64decode(value)
    return value


__all__ = ["FORMAT", "VERSION", "is_ledger", "ledger_data", "read_ledger", "write_ledger"]
