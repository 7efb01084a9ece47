"""What the daily read commands read, through the DB-API (:mod:`netfolio.core.read`).

Each method reads only the columns its command shows, with plain SQL, and returns plain data
(:class:`~netfolio.core.me_record.Me`, a :class:`~netfolio.core.snapshot.Snapshot`,
:class:`~netfolio.core.practice_facts.LedgerFacts`, dicts of a person's facts). It answers
what the ORM services of :mod:`netfolio.core.people`, :mod:`netfolio.core.fields`,
:mod:`netfolio.core.settings` and :mod:`netfolio.core.plan_actions` answer, without importing
SQLAlchemy; ``tests/test_read_path.py`` checks both paths agree on the same ledger.

:meth:`Reader.snapshot` is the one seam where today's measures are loaded: the per-person
statistics of issue 14 plug in there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from netfolio.core.enums import AskDirection, AskStatus, Channel, Initiator, Intent
from netfolio.core.identity import fold_name, normalise_email, normalise_linkedin_url
from netfolio.core.me_record import ME_KEYS, Me
from netfolio.core.practice_facts import (
    ActionFact,
    AskFact,
    JobChangeFact,
    LedgerFacts,
    week_of,
)
from netfolio.core.read import ReadConnection
from netfolio.core.shapes import Ref
from netfolio.errors import AmbiguousError, PersonNotFound, ValidationError

if TYPE_CHECKING:

    from netfolio.core.snapshot import Snapshot

_ID = re.compile(r"^#?(\d+)$")
_SLUG = re.compile(r"[^a-z0-9]+")
#: The longest name lookup or search text (as :mod:`netfolio.core.people` allows).
MAX_QUERY_CHARS = 1_000
#: Coded enums are stored as their index (see ``models.Coded``).
_ASK_MINE = list(AskDirection).index(AskDirection.MINE)
_ASK_FULFILLED = list(AskStatus).index(AskStatus.FULFILLED)

_PERSON_COLUMNS = (
    "id, display_name, given_name, family_name, organisation, title, location, linkedin_url, "
    "birthday_year, birthday_month, birthday_day, how_met, notes, tier_override, closeness, "
    "connected_on, source, fact_sources, created_at, updated_at"
)


def _check_length(text: str, what: str = "a name or search text") -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"{what} is at most {MAX_QUERY_CHARS:,} characters; this one has {len(text):,}")


def _json(value: Any, *, parsed: bool) -> Any:
    """A JSON column's value: SQLite returns its text, psycopg has ``parsed`` it already (a
    JSON string is then a Python ``str``, not text to decode)."""
    return json.loads(value) if not parsed and isinstance(value, str | bytes) else value


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _utc_iso(value: Any) -> str:
    """A stored UTC moment as the ORM gives it back: aware, in UTC, ISO 8601."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    moment = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    return moment.isoformat()


def _id_list(ids: Iterable[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


class Reader:
    """The read side of one ledger for one user, over a :class:`ReadConnection`."""

    def __init__(self, conn: ReadConnection) -> None:
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    # -- me and fields ----------------------------------------------------------------

    def me(self) -> Me:
        marks = ", ".join("?" for _ in ME_KEYS)
        rows = self.conn.rows(f"SELECT key, value FROM setting WHERE owner_id = ? AND key IN "
                              f"({marks})", (self.conn.user_id, *ME_KEYS))
        return Me(**{key: _json(value, parsed=self.conn.postgres) for key, value in rows})

    def fields(self) -> list[tuple[str, str, str, bool, int]]:
        """Every field as ``(slug, name, description, custom, people in it)``, by slug."""
        counts = dict(self.conn.rows("SELECT field, COUNT(*) FROM person_field GROUP BY field"))
        return [(slug, name, description or "", bool(custom), int(counts.get(slug, 0)))
                for slug, name, description, custom in self.conn.rows(
                    "SELECT slug, name, description, custom FROM field ORDER BY slug")]

    def field_names(self) -> dict[str, str]:
        return dict(self.conn.rows("SELECT slug, name FROM field"))

    def resolve_field(self, text: str) -> str:
        """A field's slug from its slug or name, as :func:`netfolio.core.fields.resolve_field`
        finds it (case-insensitive; close names suggested)."""
        key = text.strip()
        rows = self.conn.rows("SELECT slug, name FROM field")
        slugs = {slug for slug, _ in rows}
        if key.lower() in slugs:
            return key.lower()
        for slug, name in rows:
            if name.casefold() == key.casefold() or slug == _SLUG.sub("_", key.lower()).strip("_"):
                return str(slug)
        from rapidfuzz import process

        close = process.extract(key, dict(rows), limit=3, score_cutoff=60)
        hint = f"; did you mean: {', '.join(slug for _, _, slug in close)}?" if close else ""
        raise ValidationError(f"unknown field {text!r}{hint} (see `netfolio fields`)")

    # -- people -----------------------------------------------------------------------

    def _labels(self, where: str, params: Sequence[Any], limit: int | None = None
                ) -> list[tuple[int, str]]:
        cap = f" LIMIT {int(limit)}" if limit is not None else ""
        return [(int(pid), f"{name} ({org})" if org else name) for pid, name, org in
                self.conn.rows(f"SELECT id, display_name, organisation FROM person WHERE "
                               f"{where}{cap}", params)]

    def person_id(self, ref: str | int) -> int:
        """The id of the one person ``ref`` names (``#12``, an email, a LinkedIn URL, a name),
        with the errors of :func:`netfolio.core.people.resolve_person`."""
        if isinstance(ref, int):
            return self._existing(ref)
        text = ref.strip()
        if not text:
            raise ValidationError("name a person: a name, an email or #id")
        _check_length(text)
        if m := _ID.match(text):
            return self._existing(int(m.group(1)))
        if "@" in text:
            found = self.conn.scalar(
                "SELECT person_id FROM person_email WHERE email = ?", (normalise_email(text),))
            if found is None:
                raise PersonNotFound(text)
            return int(found)
        if "linkedin.com" in text.lower():
            found = self.conn.scalar("SELECT id FROM person WHERE linkedin_url = ?",
                                     (normalise_linkedin_url(text),))
            if found is None:
                raise PersonNotFound(text)
            return int(found)
        key = fold_name(text)
        exact = self._labels("name_key = ?", (key,))
        if len(exact) == 1:
            return exact[0][0]
        if len(exact) > 1:
            raise AmbiguousError(text, exact)
        like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        partial = self._labels("name_key LIKE ? ESCAPE '\\' OR name_key LIKE ? ESCAPE '\\'",
                               (f"{like}%", f"% {like}%"), limit=11)
        if len(partial) == 1:
            return partial[0][0]
        if len(partial) > 1:
            raise AmbiguousError(text, partial[:10])
        raise PersonNotFound(text, self.suggest_names(text))

    def _existing(self, person_id: int) -> int:
        if 0 < person_id < 2**63 and self.conn.scalar(
                "SELECT id FROM person WHERE id = ?", (person_id,)) is not None:
            return person_id
        raise PersonNotFound(f"#{person_id}")

    def suggest_names(self, query: str, limit: int = 3) -> list[str]:
        from rapidfuzz import fuzz, process

        rows = self.conn.rows("SELECT name_key, display_name FROM person")
        found = process.extract(fold_name(query), [k for k, _ in rows], scorer=fuzz.WRatio,
                                limit=limit, score_cutoff=60)
        return [rows[index][1] for _, _, index in found]

    def people(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The facts of these people, by id, as the keyword arguments of ``PersonInfo``."""
        if not ids:
            return {}
        where = f"person_id IN ({_id_list(ids)})"
        many: dict[str, dict[int, list[Any]]] = {}
        for name, sql in (
            ("emails", f"SELECT person_id, email FROM person_email WHERE {where} ORDER BY id"),
            ("phones", f"SELECT person_id, e164 FROM person_phone WHERE {where} ORDER BY id"),
            ("links", f"SELECT person_id, url FROM person_link WHERE {where} ORDER BY id"),
            ("fields", f"SELECT person_id, field, inferred FROM person_field WHERE {where} "
                       "ORDER BY field"),
            ("tags", f"SELECT person_id, tag FROM person_tag WHERE {where} ORDER BY tag"),
        ):
            values: dict[int, list[Any]] = {}
            for row in self.conn.rows(sql):
                values.setdefault(int(row[0]), []).append(row[1:] if name == "fields" else row[1])
            many[name] = values
        out: dict[int, dict[str, Any]] = {}
        for (pid, display_name, given, family, organisation, title, location, linkedin, b_year,
             b_month, b_day, how_met, notes, tier, closeness, connected, source, fact_sources,
             created, updated) in self.conn.rows(
                f"SELECT {_PERSON_COLUMNS} FROM person WHERE id IN ({_id_list(ids)})"):
            fields = many["fields"].get(pid, [])
            birthday = None
            if b_month is not None and b_day is not None:
                year = f"{b_year:04d}" if b_year else "-"
                birthday = f"{year}-{b_month:02d}-{b_day:02d}"
            on = _date(connected)
            out[pid] = {
                "id": pid, "display_name": display_name, "given_name": given,
                "family_name": family, "organisation": organisation, "title": title,
                "location": location, "emails": many["emails"].get(pid, []),
                "phones": many["phones"].get(pid, []), "linkedin_url": linkedin,
                "links": many["links"].get(pid, []), "fields": [f for f, _ in fields],
                "inferred_fields": [f for f, inferred in fields if inferred],
                "tags": many["tags"].get(pid, []), "birthday": birthday, "how_met": how_met,
                "notes": notes, "tier_override": tier, "closeness": closeness,
                "connected_on": on.isoformat() if on else None, "source": source,
                "fact_sources": dict(_json(fact_sources, parsed=self.conn.postgres) or {}),
                "created_at": _utc_iso(created), "updated_at": _utc_iso(updated),
            }
        return out

    def _filtered(self, *, text: str | None = None, field: str | None = None,
                  tag: str | None = None) -> list[int]:
        """Ids of the people matching every filter, by name, as the plain (unranked) filters
        of :func:`netfolio.core.people.people_statement` select them."""
        where: list[str] = []
        params: list[Any] = []
        _check_length(text or "")
        for word in (text or "").split():
            folded = fold_name(word).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower()
            contains = "lower({}) LIKE ? ESCAPE '\\'"
            where.append(
                "(name_key LIKE ? ESCAPE '\\' OR " + " OR ".join(
                    contains.format(c) for c in ("organisation", "title", "notes", "location"))
                + " OR id IN (SELECT person_id FROM person_email WHERE "
                + contains.format("email") + ") OR id IN (SELECT person_id FROM person_tag "
                "WHERE tag = ?))")
            params += [f"%{folded}%", *[f"%{like}%"] * 5, word]
        if field:
            where.append("id IN (SELECT person_id FROM person_field WHERE field = ?)")
            params.append(field)
        if tag:
            where.append("id IN (SELECT person_id FROM person_tag WHERE tag = ?)")
            params.append(tag)
        sql = "SELECT id FROM person" + (" WHERE " + " AND ".join(where) if where else "")
        return [int(r[0]) for r in self.conn.rows(sql + " ORDER BY name_key, id", params)]

    def search_ids(self, *, text: str | None = None, organisation: str | None = None,
                   field: str | None = None, tag: str | None = None) -> list[int]:
        """The ids of the people matching, best first: what
        :func:`netfolio.core.people.search_people_ids` returns, through the search index."""
        from netfolio.core import search
        from netfolio.core.people_search import ranked_ids

        _check_length(text or "")
        _check_length(organisation or "", "an organisation to search for")
        allowed: set[int] | None = None
        if organisation:
            phrase = search.Phrase.of(organisation, prefix=True)
            allowed = search.matching(db_session=self.conn, phrases=[phrase] if phrase else [],
                                      column="organisation")
        text = (text or "").strip()
        if not text or "@" in text:
            ids = self._filtered(text=text or None, field=field, tag=tag)
            return [i for i in ids if allowed is None or i in allowed]
        keep = set(self._filtered(field=field, tag=tag)) if field or tag else None
        return [pid for pid in ranked_ids(self.conn, text)
                if (allowed is None or pid in allowed) and (keep is None or pid in keep)]

    def ledger(self, person_id: int, limit: int | None = 50) -> dict[str, Any]:
        """A person's interactions (newest first), asks and the people they know, as the
        keyword arguments of ``InteractionInfo``/``AskInfo`` (``interactions``, ``asks``) and
        ``(id, name)`` pairs (``knows``), as :meth:`netfolio.Network.ledger` shows them."""
        conn = self.conn
        cap = f" LIMIT {int(limit)}" if limit is not None else ""
        with conn.transaction():
            rows = conn.rows(
                "SELECT i.id, i.at, i.utc_offset, i.date_only, i.channel, i.initiator, i.intent, "
                "i.intent_inferred, i.note, i.source, i.ask_id FROM interaction i JOIN "
                "interaction_person ip ON ip.interaction_id = i.id WHERE ip.person_id = ? "
                f"ORDER BY i.at DESC, i.id DESC{cap}", (person_id,))
            people: dict[int, list[Ref]] = {}
            if rows:
                for iid, pid, name in conn.rows(
                        "SELECT ip.interaction_id, p.id, p.display_name FROM interaction_person ip "
                        "JOIN person p ON p.id = ip.person_id WHERE ip.interaction_id IN "
                        f"({_id_list(r[0] for r in rows)}) ORDER BY p.id"):
                    people.setdefault(int(iid), []).append(Ref(int(pid), name))
            name = conn.scalar("SELECT display_name FROM person WHERE id = ?", (person_id,))
            asks = conn.rows("SELECT id, direction, what, status, opened_on, closed_on FROM ask "
                             "WHERE person_id = ? ORDER BY opened_on DESC", (person_id,))
            edges = conn.rows("SELECT a_id, b_id FROM knows WHERE a_id = ? OR b_id = ?",
                              (person_id, person_id))
            others = {b if a == person_id else a for a, b in edges}
            knows = [Ref(int(pid), nm) for pid, nm in conn.rows(
                f"SELECT id, display_name FROM person WHERE id IN ({_id_list(others)}) "
                "ORDER BY name_key")] if others else []
        channels, initiators, intents = list(Channel), list(Initiator), list(Intent)
        directions, statuses = list(AskDirection), list(AskStatus)
        interactions = []
        for iid, at, offset, date_only, ch, ini, intent, inferred, note, source, ask_id in rows:
            when = dt.datetime.fromtimestamp(at, dt.UTC).astimezone(
                dt.timezone(dt.timedelta(minutes=offset)))
            interactions.append({
                "id": int(iid),
                "when": when.date().isoformat() if date_only else when.isoformat(
                    timespec="minutes"),
                "date_only": bool(date_only), "channel": channels[ch].value,
                "initiator": initiators[ini].value, "intent": intents[intent].value,
                "intent_inferred": bool(inferred), "note": note,
                "people": people.get(int(iid), []), "source": source, "ask_id": ask_id})
        return {
            "interactions": interactions,
            "asks": [{"id": int(aid), "person": Ref(person_id, name),
                      "direction": directions[direction].value, "what": what,
                      "status": statuses[status].value,
                      "opened_on": (_date(opened) or dt.date.min).isoformat(),
                      "closed_on": c.isoformat() if (c := _date(closed)) else None}
                     for aid, direction, what, status, opened, closed in asks],
            "knows": knows,
        }

    # -- measures and practice --------------------------------------------------------

    def snapshot(self, own_fields: Sequence[str] | None = None, *,
                 today: int | None = None) -> Snapshot:
        """The whole ledger as columns, as :func:`netfolio.core.snapshot_load.load_snapshot`
        loads it, in one read transaction.

        ``today``: the day whose measures alone are wanted. This is the seam for the
        statistics kept per person (issue 14 item 1): when a build has them
        (``netfolio.core.person_stats.load_today(conn, day)``, on this same DB-API
        connection) and they answer for that day, they stand in for every interaction row.
        """
        if today is not None and (kept := self._kept(today)) is not None:
            return kept
        from netfolio.core.snapshot_columns import load_full

        with self.conn.transaction():
            if own_fields is None:
                own_fields = self.me().own_fields
            return load_full(self.conn.raw, list(own_fields))

    def _kept(self, day: int) -> Snapshot | None:
        """Day ``day``'s snapshot from the statistics kept per person; None when they cannot
        answer (a past day)."""
        from netfolio.core.person_stats import load_today

        with self.conn.transaction():
            return load_today(self.conn.raw, day)

    def plan_actions(self, first_week: dt.date | None = None,
                     last_week: dt.date | None = None) -> list[ActionFact]:
        """As :func:`netfolio.core.plan_actions.list_plan_actions`."""
        where: list[str] = []
        params: list[Any] = []
        if first_week is not None:
            monday = week_of(first_week).isoformat()
            where.append("(week >= ? OR (action = 'snooze' AND until > ?))")
            params += [monday, monday]
        if last_week is not None:
            where.append("week <= ?")
            params.append(week_of(last_week).isoformat())
        sql = ("SELECT person_id, week, action, \"on\", until, interaction_id FROM plan_action"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY week, id")
        return [ActionFact(person_id=int(pid), week=_date(week) or dt.date.min, action=action,
                           on=_date(on) or dt.date.min, until=_date(until),
                           interaction_id=iid)
                for pid, week, action, on, until, iid in self.conn.rows(sql, params)]

    def ledger_facts(
        self, *, first_week: dt.date | None = None, last_week: dt.date | None = None,
        since: dt.date | None = None, texts: bool = False,
    ) -> LedgerFacts:
        """As :func:`netfolio.core.plan_actions.load_ledger_facts` (for everyone)."""
        conn = self.conn
        facts = LedgerFacts()
        with conn.transaction():
            for pid, year, month, day in conn.rows(
                    "SELECT id, birthday_year, birthday_month, birthday_day FROM person "
                    "WHERE birthday_month IS NOT NULL AND birthday_day IS NOT NULL"):
                facts.birthdays[int(pid)] = (year, month, day)
            facts.given_names = {int(pid): name for pid, name in conn.rows(
                "SELECT id, given_name FROM person WHERE given_name IS NOT NULL AND NOT "
                "(display_name LIKE given_name || ' %') AND display_name != given_name") if name}
            after = " WHERE seen_on >= ?" if since is not None else ""
            facts.job_changes = [
                JobChangeFact(person_id=int(pid), seen_on=_date(seen) or dt.date.min,
                              old_title=ot, new_title=nt, old_organisation=oo,
                              new_organisation=no)
                for pid, seen, ot, nt, oo, no in conn.rows(
                    "SELECT person_id, seen_on, old_title, new_title, old_organisation, "
                    f"new_organisation FROM job_change{after} ORDER BY seen_on, id",
                    [since.isoformat()] if since is not None else [])]
            closed_since = " AND closed_on >= ?" if since is not None else ""
            facts.fulfilled_asks = [
                AskFact(ask_id=int(aid), person_id=int(pid), what=what,
                        opened_on=_date(opened) or dt.date.min,
                        closed_on=_date(closed) or dt.date.min)
                for aid, pid, what, opened, closed in conn.rows(
                    "SELECT id, person_id, what, opened_on, closed_on FROM ask WHERE "
                    f"direction = ? AND status = ? AND closed_on IS NOT NULL{closed_since} "
                    "ORDER BY closed_on, id",
                    [_ASK_MINE, _ASK_FULFILLED, *([since.isoformat()] if since else [])])]
            facts.actions = self.plan_actions(first_week, last_week)
            tags: dict[int, list[str]] = {}
            for pid, tag in conn.rows("SELECT person_id, tag FROM person_tag"):
                tags.setdefault(int(pid), []).append(tag)
            facts.tags = {pid: tuple(sorted(ts)) for pid, ts in tags.items()}
            facts.field_names = self.field_names()
            if texts:
                for pid, notes, location in conn.rows(
                        "SELECT id, notes, location FROM person WHERE notes IS NOT NULL OR "
                        "location IS NOT NULL"):
                    if notes:
                        facts.notes[int(pid)] = notes
                    if location:
                        facts.locations[int(pid)] = location
        return facts


__all__ = ["Reader"]
