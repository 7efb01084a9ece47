"""``Network``: the one facade that the CLI, the web app and user scripts share.

Each method maps to one or a few service calls in :mod:`netfolio.core` inside one
transaction, and returns plain data (dataclasses; ``to_dict()`` gives their JSON, the shape the
web API serves), never live ORM rows,
so results can be printed, serialised or kept after the session is gone.

    >>> net = Network("sqlite:///:memory:")            # doctest: +SKIP
    >>> ana = net.add("Ana Núñez", emails=["ana@example.org"], title="Cardiologist")  # +SKIP
    >>> net.log(["Ana Núñez"], when="yesterday", intent="catch_up", channel="call")    # +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netfolio.config import resolve_db_url
from netfolio.core.shapes import Plain, Ref

if TYPE_CHECKING:
    from os import PathLike

    from sqlalchemy.orm import Session

    from netfolio.core.db import Database
    from netfolio.core.me import FoldReport
    from netfolio.core.models import Ask, Interaction, Person
    from netfolio.core.reader import Reader
    from netfolio.core.settings import Me
    from netfolio.core.snapshot import Snapshot
    from netfolio.io.backup import RestoreInfo
    from netfolio.io.export import ExportInfo
    from netfolio.io.matching import Resolver
    from netfolio.io.pipeline import DuplicateInfo, ImportReport, Progress
    from netfolio.io.runs import RunInfo, UndoReport
    from netfolio.io.sync.run import SyncReport
    from netfolio.io.sync.sources import SourceInfo
    from netfolio.measures import Params, Portfolio
    from netfolio.reports import (
        DormantLine,
        GoodwillLine,
        PersonStanding,
        PortfolioReport,
        TargetLine,
        ValuePoint,
        Why,
    )
    from netfolio.team import Team


@dataclass
class PersonInfo(Plain):
    """Everything the ledger holds about a person, as plain data."""

    id: int
    display_name: str
    given_name: str | None
    family_name: str | None
    organisation: str | None
    title: str | None
    location: str | None
    emails: list[str]
    phones: list[str]
    linkedin_url: str | None
    links: list[str]
    fields: list[str]
    inferred_fields: list[str]
    tags: list[str]
    birthday: str | None
    how_met: str | None
    notes: str | None
    tier_override: int | None
    closeness: int | None
    connected_on: str | None
    source: str
    fact_sources: dict[str, Any]
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, p: Person) -> PersonInfo:
        return cls(
            id=p.id, display_name=p.display_name, given_name=p.given_name,
            family_name=p.family_name, organisation=p.organisation, title=p.title,
            location=p.location, emails=[e.email for e in p.emails],
            phones=[ph.e164 for ph in p.phones], linkedin_url=p.linkedin_url,
            links=[link.url for link in p.links], fields=[f.field for f in p.fields],
            inferred_fields=[f.field for f in p.fields if f.inferred],
            tags=[t.tag for t in p.tags], birthday=p.birthday, how_met=p.how_met,
            notes=p.notes, tier_override=p.tier_override, closeness=p.closeness,
            connected_on=p.connected_on.isoformat() if p.connected_on else None,
            source=p.source, fact_sources=dict(p.fact_sources or {}),
            created_at=p.created_at.isoformat(), updated_at=p.updated_at.isoformat(),
        )

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.organisation})" if self.organisation else (
            self.display_name
        )


@dataclass
class InteractionInfo(Plain):
    """One interaction: when, how, what for, and with whom."""

    id: int
    when: str
    date_only: bool
    channel: str
    initiator: str
    intent: str
    intent_inferred: bool
    note: str | None
    people: list[Ref]
    source: str
    ask_id: int | None = None

    @classmethod
    def of(cls, i: Interaction) -> InteractionInfo:
        when = i.day.isoformat() if i.date_only else i.when.isoformat(timespec="minutes")
        return cls(
            id=i.id, when=when, date_only=i.date_only, channel=i.channel.value,
            initiator=i.initiator.value, intent=i.intent.value,
            intent_inferred=i.intent_inferred, note=i.note,
            people=[Ref(p.id, p.display_name) for p in i.people], source=i.source,
            ask_id=i.ask_id,
        )



@dataclass
class AskInfo(Plain):
    """An ask, yours of a person or theirs of you, and where it stands."""

    id: int
    person: Ref
    direction: str
    what: str
    status: str
    opened_on: str
    closed_on: str | None

    @classmethod
    def of(cls, a: Ask) -> AskInfo:
        return cls(
            id=a.id, person=Ref(a.person.id, a.person.display_name), direction=a.direction.value,
            what=a.what, status=a.status.value, opened_on=a.opened_on.isoformat(),
            closed_on=a.closed_on.isoformat() if a.closed_on else None,
        )



@dataclass
class Ledger(Plain):
    """A person with their interactions (newest first), asks and the people they know."""

    person: PersonInfo
    interactions: list[InteractionInfo] = field(default_factory=list)
    asks: list[AskInfo] = field(default_factory=list)
    knows: list[Ref] = field(default_factory=list)



@dataclass
class FieldInfo(Plain):
    """A field: its slug and name, how many people are in it, and whether it is yours."""

    slug: str
    name: str
    description: str
    custom: bool
    people: int
    own: bool


class Network:
    """A personal network stored in one ledger (a SQLite file or a PostgreSQL database).

    ``Network()`` opens the default ledger in the user's data directory; ``Network(db)``
    takes a file path or a SQLAlchemy URL. The database is created or upgraded on first use.
    """

    def __init__(self, db: str | None = None, *, user: str | int | None = None,
                 migrate: bool = True) -> None:
        self.url = resolve_db_url(db)
        self._migrate = migrate
        #: who this network belongs to: a username, a user id, or None for the ledger's
        #: only user (a team database needs a name: ``user=`` or NETFOLIO_USER)
        self._user: str | int | None = (
            user if user is not None else os.environ.get("NETFOLIO_USER") or None
        )
        self._base: Database | None = None
        self._db: Database | None = None
        self._owns_engine = True
        self._lean: Reader | None = None
        self._lean_tried = False
        self._lean_thread = 0

    def _reader(self) -> Reader | None:
        """The lean read path (:mod:`netfolio.core.reader`: the DB-API, no SQLAlchemy) while
        the ORM has not opened the ledger; None when the ORM path must read instead (a schema
        to migrate, an in-memory ledger, a network sharing another's engine, or
        ``NETFOLIO_READ_PATH=orm``). Its one connection serves the thread that opened it;
        other threads read through the ORM's sessions."""
        import threading

        if not self._lean_tried:
            self._lean_tried = True
            if self._base is None and os.environ.get("NETFOLIO_READ_PATH") != "orm":
                from netfolio.core.read import open_read

                conn = open_read(self.url, self._user)
                if conn is not None:
                    from netfolio.core.reader import Reader

                    self._lean = Reader(conn)
                    self._lean_thread = threading.get_ident()
        if self._lean is not None and self._lean_thread != threading.get_ident():
            return None
        return self._lean

    def _open_base(self) -> Database:
        if self._base is None:
            from netfolio.core.db import open_database

            self._base = open_database(self.url, migrate=self._migrate)
        return self._base

    @property
    def database(self) -> Database:
        """The ledger, acting for this network's user."""
        if self._db is None:
            from netfolio.core.users import acting_for

            self._db = acting_for(self._open_base(), self._user)
        return self._db

    @property
    def user_id(self) -> int:
        return self.database.user_id

    def for_user(self, user: str | int) -> Network:
        """The network of another user of the same ledger, sharing this one's connections
        (the web app serves each member through one of these)."""
        other = Network.__new__(Network)
        other.url, other._migrate, other._user = self.url, False, user
        other._base, other._db, other._owns_engine = self._open_base(), None, False
        other._lean, other._lean_tried = None, True
        return other

    @property
    def team(self) -> Team:
        """The team side: sharing, the directory, team asks and introductions."""
        from netfolio.team import Team

        return Team(self)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: everything in it is written, or nothing. ``write=False`` for one
        that only reads (on SQLite it then never waits for a writer such as an import)."""
        with self.database.session(write=write) as s:
            yield s

    def close(self) -> None:
        if self._base is not None and self._owns_engine:
            self._base.close()
        self._base = self._db = None
        if self._lean is not None:
            self._lean.close()
        self._lean, self._lean_tried = None, False

    def __enter__(self) -> Network:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- me ---------------------------------------------------------------------------

    def me(self) -> Me:
        if (reader := self._reader()) is not None:
            return reader.me()
        from netfolio.core.settings import get_me

        with self.session(write=False) as s:
            return get_me(db_session=s)

    def init(
        self, *, name: str | None = None, emails: Sequence[str] = (),
        fields: Sequence[str] = (), weekly_budget: int | None = None,
        region: str | None = None,
    ) -> Me:
        """Set who you are: your name, your own addresses and fields, your weekly budget."""
        from netfolio.core.fields import resolve_field
        from netfolio.core.identity import normalise_email
        from netfolio.core.settings import update_me

        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name.strip()
        if emails:
            changes["emails"] = [normalise_email(e) for e in emails]
        if region is not None:
            changes["region"] = region.strip().upper() or None
        if weekly_budget is not None:
            changes["weekly_budget"] = weekly_budget
        with self.session() as s:
            if fields:
                changes["own_fields"] = [resolve_field(db_session=s, text=f).slug for f in fields]
            return update_me(db_session=s, **changes)

    def me_edit(self, *, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Me:
        """Add or remove your own identities: email addresses, LinkedIn profile URLs and
        other names you appear under (each recognised by its form)."""
        from netfolio.core.me import edit_identities

        with self.session() as s:
            return edit_identities(db_session=s, add=add, remove=remove)

    def me_fold(self, ref: str | int) -> FoldReport:
        """``ref`` was you, imported as a person: make their identities yours, remove them,
        and remove the interactions imported with them (import those files again to read
        them with you as "me")."""
        from netfolio.core.me import fold_into_me

        with self.session() as s:
            return fold_into_me(db_session=s, person=self._person(s, ref))

    # -- people -----------------------------------------------------------------------

    def _person(self, s: Session, ref: str | int) -> Person:
        from netfolio.core.people import get_person, resolve_person

        if isinstance(ref, int):
            return get_person(db_session=s, person_id=ref)
        return resolve_person(db_session=s, query=ref)

    def add(self, name: str | None = None, **facts: Any) -> PersonInfo:
        """Add a person; see :func:`netfolio.core.people.create_person` for the facts."""
        from netfolio.core.people import create_person
        from netfolio.core.settings import get_me

        with self.session() as s:
            facts.setdefault("region", get_me(db_session=s).region)
            return PersonInfo.of(create_person(db_session=s, display_name=name, **facts))

    def edit(self, ref: str | int, **changes: Any) -> PersonInfo:
        """Change facts of a person; see :func:`netfolio.core.people.update_person`."""
        from netfolio.core.people import update_person
        from netfolio.core.settings import get_me

        with self.session() as s:
            changes.setdefault("region", get_me(db_session=s).region)
            person = update_person(db_session=s, person=self._person(s, ref), **changes)
            return PersonInfo.of(person)

    def get(self, ref: str | int) -> PersonInfo:
        """The person named by ``ref``: ``#id``, an email, a LinkedIn URL or a name."""
        if (reader := self._reader()) is not None:
            person_id = reader.person_id(ref)
            return PersonInfo(**reader.people([person_id])[person_id])
        with self.session(write=False) as s:
            return PersonInfo.of(self._person(s, ref))

    def ledger(self, ref: str | int, *, limit: int | None = 50) -> Ledger:
        """A person with their recent interactions, asks and who they know."""
        if (reader := self._reader()) is not None:
            person_id = reader.person_id(ref)
            with reader.conn.transaction():
                person = PersonInfo(**reader.people([person_id])[person_id])
                rows = reader.ledger(person_id, limit)
            return Ledger(person=person,
                          interactions=[InteractionInfo(**i) for i in rows["interactions"]],
                          asks=[AskInfo(**a) for a in rows["asks"]], knows=rows["knows"])
        from netfolio.core.asks import asks_of
        from netfolio.core.interactions import interactions_of, knows_of

        with self.session(write=False) as s:
            p = self._person(s, ref)
            return Ledger(
                person=PersonInfo.of(p),
                interactions=[
                    InteractionInfo.of(i)
                    for i in interactions_of(db_session=s, person=p, limit=limit)
                ],
                asks=[AskInfo.of(a) for a in asks_of(db_session=s, person=p)],
                knows=[Ref(k.id, k.display_name) for k in knows_of(db_session=s, person=p)],
            )

    def people(
        self, text: str | None = None, *, organisation: str | None = None,
        field: str | None = None, tag: str | None = None, limit: int | None = None,
        offset: int = 0,
    ) -> list[PersonInfo]:
        """People matching every filter given; ``text`` searches names, organisations,
        titles, notes, locations, emails and tags (every word must match)."""
        from netfolio.core.fields import resolve_field
        from netfolio.core.people import PeopleQuery, list_people

        with self.session(write=False) as s:
            slug = resolve_field(db_session=s, text=field).slug if field else None
            query = PeopleQuery(text=text, organisation=organisation, field=slug, tag=tag,
                                limit=limit, offset=offset)
            return [PersonInfo.of(p) for p in list_people(db_session=s, query=query)]

    def count(self) -> int:
        from netfolio.core.people import count_people

        with self.session(write=False) as s:
            return count_people(db_session=s)

    def delete(self, ref: str | int) -> PersonInfo:
        from netfolio.core.people import delete_person

        with self.session() as s:
            person = self._person(s, ref)
            info = PersonInfo.of(person)
            delete_person(db_session=s, person=person)
            return info

    def merge(self, keep: str | int, other: str | int) -> PersonInfo:
        """Merge ``other`` into ``keep``, keeping every fact with its source. The merge is
        in the import history: :meth:`import_undo` reverts it."""
        from netfolio.io.identity_history import merge_recorded

        with self.session() as s:
            a, b = self._person(s, keep), self._person(s, other)
            return PersonInfo.of(merge_recorded(db_session=s, keep=a, other=b))

    def split(
        self, ref: str | int, *, name: str | None = None, emails: Sequence[str] = (),
        phones: Sequence[str] = (), linkedin: bool = False, interactions: Sequence[int] = (),
    ) -> PersonInfo:
        """The reverse of a merge: move the chosen emails, phones, LinkedIn profile and
        interactions of a person to a new person (named ``name``, by default the same).
        In the import history: :meth:`import_undo` reverts it."""
        from netfolio.io.identity_history import split_recorded

        with self.session() as s:
            person = self._person(s, ref)
            return PersonInfo.of(split_recorded(
                db_session=s, person=person, name=name, emails=emails, phones=phones,
                linkedin=linkedin, interactions=interactions,
            ))

    def tag(self, ref: str | int, add: Sequence[str] = (),
            remove: Sequence[str] = ()) -> PersonInfo:
        return self.edit(ref, add_tags=add, remove_tags=remove)

    # -- the ledger -------------------------------------------------------------------

    def log(
        self,
        people: Sequence[str | int],
        *,
        when: str | dt.datetime | dt.date | None = None,
        channel: str = "message",
        intent: str = "catch_up",
        initiator: str | None = None,
        note: str | None = None,
        source: str = "cli",
    ) -> InteractionInfo:
        """Record what happened: one interaction with one or more people."""
        from netfolio.core.dates import parse_when
        from netfolio.core.enums import Channel, Initiator, Intent
        from netfolio.core.interactions import log_interaction
        from netfolio.errors import ValidationError

        try:
            ch, it = Channel.parse(channel), Intent.parse(intent)
            ini = Initiator.parse(initiator) if initiator else None
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        date_only: bool | None = None
        moment: dt.datetime | dt.date
        if when is None or isinstance(when, str):
            moment, date_only = parse_when(when)
            if date_only:
                moment = moment.date()
        else:
            moment = when
        with self.session() as s:
            persons = [self._person(s, ref) for ref in people]
            row = log_interaction(
                db_session=s, people=persons, when=moment, channel=ch, intent=it,
                initiator=ini, note=note, source=source, date_only=date_only,
            )
            return InteractionInfo.of(row)

    def unlog(self, interaction_id: int) -> InteractionInfo:
        """Remove an interaction logged by mistake."""
        from netfolio.core.interactions import delete_interaction

        with self.session() as s:
            return InteractionInfo.of(
                delete_interaction(db_session=s, interaction_id=interaction_id)
            )

    def last_logged(self, source: str = "cli") -> InteractionInfo | None:
        from sqlalchemy import select

        from netfolio.core.models import Interaction

        with self.session(write=False) as s:
            row = s.execute(
                select(Interaction).where(Interaction.source == source)
                .order_by(Interaction.id.desc()).limit(1)
            ).scalar()
            return InteractionInfo.of(row) if row is not None else None

    def introduce(
        self, a: str | int, b: str | int, *, when: str | dt.date | None = None,
        note: str | None = None, channel: str = "email",
    ) -> InteractionInfo:
        """You introduced A and B: a give to both, and a knows edge between them."""
        from netfolio.core.dates import parse_when
        from netfolio.core.interactions import introduce

        day = parse_when(when)[0].date() if not isinstance(when, dt.date) else when
        with self.session() as s:
            pa, pb = self._person(s, a), self._person(s, b)
            intro = introduce(db_session=s, a=pa, b=pb, when=day, note=note, channel=channel)
            from netfolio.core.models import Interaction

            return InteractionInfo.of(s.get_one(Interaction, intro.interaction_id))

    def knows(self, a: str | int, b: str | int) -> None:
        """Record that A and B know each other (who-knows-whom)."""
        from netfolio.core.interactions import add_knows

        with self.session() as s:
            add_knows(db_session=s, a=self._person(s, a), b=self._person(s, b))

    # -- measures ---------------------------------------------------------------------

    def snapshot(self, as_of: str | dt.date | None = None, *, kept: bool = False) -> Snapshot:
        """The whole ledger as columns for the measures (one query per table).

        ``kept=True``: only the measures of ``as_of`` (today when absent) are wanted, so the
        statistics kept per person may answer instead of every interaction row (the lean
        path's seam: :meth:`netfolio.core.reader.Reader.snapshot`)."""
        if (reader := self._reader()) is not None:
            return reader.snapshot(today=self.day(as_of) if kept else None)
        from netfolio.core.snapshot_load import load_snapshot

        with self.session(write=False) as s:
            return (kept and _kept_snapshot(s, self.day(as_of))) or load_snapshot(db_session=s)

    def params(self) -> Params:
        """The measures' parameters, with your weekly budget and cadence overrides applied."""
        import dataclasses

        from netfolio.core.enums import TIERS
        from netfolio.measures import Params

        me = self.me()
        params = Params()
        cadence = list(params.cadence_days)
        for tier, days in me.cadence_days.items():
            if int(tier) in TIERS:
                cadence[TIERS.index(int(tier))] = int(days)
        return dataclasses.replace(
            params, weekly_budget=me.weekly_budget, cadence_days=tuple(cadence),
            target_shares=dict(me.targets) or None,
        )

    def targets(self, as_of: str | dt.date | None = None) -> list[TargetLine]:
        """Every field's allocation target (yours where you set one, else the default), with
        its current share of your tie strength."""
        from netfolio.reports import target_lines

        return target_lines(self.portfolio(as_of, dormant_limit=0), self.me().targets)

    def set_targets(self, targets: Mapping[str, float], *, replace: bool = False) -> Me:
        """Set the target of some fields, as fractions of 1 (``{"software": 0.2}``); field
        names or slugs. The fields you do not name keep yours, or (``replace=True``) go back
        to their default share of the rest."""
        from netfolio.core.fields import resolve_field
        from netfolio.core.settings import get_me, update_me
        from netfolio.errors import ValidationError

        with self.session() as s:
            current = {} if replace else dict(get_me(db_session=s).targets)
            for text, share in targets.items():
                slug = resolve_field(db_session=s, text=text).slug
                if not 0 <= share <= 1:
                    raise ValidationError(f"{text}: a target is from 0% to 100%, not "
                                          f"{share:.0%}")
                current[slug] = float(share)
            return update_me(db_session=s, targets=current)

    def reset_targets(self, fields: Sequence[str] = ()) -> Me:
        """Forget the targets you set for ``fields`` (all of them when none are named): those
        fields go back to their default share."""
        from netfolio.core.fields import resolve_field
        from netfolio.core.settings import get_me, update_me

        with self.session() as s:
            current = dict(get_me(db_session=s).targets)
            if fields:
                for text in fields:
                    current.pop(resolve_field(db_session=s, text=text).slug, None)
            else:
                current = {}
            return update_me(db_session=s, targets=current)

    @staticmethod
    def day(as_of: str | dt.date | None = None) -> int:
        """The day number of ``as_of`` (a date, a typed date, or today)."""
        from netfolio.core.dates import parse_day
        from netfolio.core.snapshot import day_number

        if isinstance(as_of, dt.date):
            return day_number(as_of)
        return day_number(parse_day(as_of))

    def _field_names(self) -> dict[str, str]:
        return {f.slug: f.name for f in self.fields()}

    def portfolio(self, as_of: str | dt.date | None = None, *,
                  dormant_limit: int = 10) -> PortfolioReport:
        """Allocation, diversity, value, goodwill, transactional index, dormant ties."""
        from netfolio.measures import portfolio
        from netfolio.reports import portfolio_report

        snap = self.snapshot()
        folio = portfolio(snap, self.day(as_of), self.params())
        return portfolio_report(snap, folio, self._field_names(), dormant_limit=dormant_limit)

    def standings(self, as_of: str | dt.date | None = None) -> list[PersonStanding]:
        """Every person's tie strength, tier, last contact and goodwill on a day."""
        from netfolio.reports import standings

        return standings(self.snapshot(as_of, kept=True), self.day(as_of), self.params())

    def ranked(
        self, text: str | None = None, *, organisation: str | None = None,
        field: str | None = None, tag: str | None = None, sort: str = "name",
        limit: int | None = 100, offset: int = 0, as_of: str | dt.date | None = None,
    ) -> list[tuple[PersonInfo, PersonStanding]]:
        """People matching the filters with their standing, sorted by name, strength, tier
        or last contact (strongest, innermost and most recent first), or by ``relevance``:
        the best match for ``text`` first (names, then organisations, titles, the rest)."""
        from netfolio.errors import ValidationError

        relevance: dict[int, int] = {}
        keys = {
            "relevance": lambda s: (relevance.get(s.id, 0), s.id),
            "name": lambda s: (s.name.casefold(), s.id),
            "strength": lambda s: (-s.strength, s.id),
            "tier": lambda s: (s.tier or 10_000, -s.strength, s.id),
            "last-contact": lambda s: (-(s.days_since is not None),
                                       s.days_since if s.days_since is not None else 0, s.id),
        }
        if sort not in keys:
            raise ValidationError(f"sort by one of: {', '.join(keys)}")
        everyone = self.standings(as_of)
        if text or organisation or field or tag:
            ids = self._search_ids(text=text, organisation=organisation, field=field, tag=tag)
            relevance = {pid: i for i, pid in enumerate(ids)}
            everyone = [st for st in everyone if st.id in relevance]
        everyone.sort(key=keys[sort])
        page = everyone[offset:offset + limit] if limit else everyone[offset:]
        info = self._infos([st.id for st in page])
        return [(info[st.id], st) for st in page]

    def _search_ids(self, *, text: str | None, organisation: str | None, field: str | None,
                    tag: str | None) -> list[int]:
        """The ids of the people matching, best first (the people search index)."""
        if (reader := self._reader()) is not None:
            slug = reader.resolve_field(field) if field else None
            return reader.search_ids(text=text, organisation=organisation, field=slug, tag=tag)
        from netfolio.core.fields import resolve_field
        from netfolio.core.people import PeopleQuery, search_people_ids

        with self.session(write=False) as s:
            slug = resolve_field(db_session=s, text=field).slug if field else None
            return search_people_ids(db_session=s, query=PeopleQuery(
                text=text, organisation=organisation, field=slug, tag=tag))

    def _infos(self, ids: Sequence[int]) -> dict[int, PersonInfo]:
        """The facts of these people, by id."""
        if (reader := self._reader()) is not None:
            return {pid: PersonInfo(**facts) for pid, facts in reader.people(ids).items()}
        from sqlalchemy import select

        from netfolio.core.models import Person
        from netfolio.core.people import person_details

        with self.session(write=False) as s:
            rows = s.execute(
                select(Person).where(Person.id.in_(list(ids))).options(*person_details())
            ).scalars()
            return {p.id: PersonInfo.of(p) for p in rows}

    def why(self, ref: str | int, as_of: str | dt.date | None = None) -> Why:
        """The strength breakdown, tier, cadence and goodwill of one person."""
        from netfolio.reports import why

        person_id = self.get(ref).id
        return why(self.snapshot(as_of, kept=True), person_id, self.day(as_of), self.params())

    def dormant(self, as_of: str | dt.date | None = None,
                limit: int | None = 20) -> list[DormantLine]:
        """Once-strong ties gone silent: the best reconnection candidates, best first."""
        from netfolio.measures import portfolio
        from netfolio.reports import dormant_lines

        snap = self.snapshot()
        return dormant_lines(snap, portfolio(snap, self.day(as_of), self.params()), limit)

    def value(self, as_of: str | dt.date | None = None) -> list[ValuePoint]:
        """The network's value (the sum of tie strengths) at each month-end."""
        from netfolio.reports import value_points

        return value_points(self.snapshot(), self.day(as_of), self.params())

    def goodwill(self, as_of: str | dt.date | None = None, *, ask_only: bool = False,
                 takers: bool = False) -> tuple[float, list[GoodwillLine]]:
        """The total goodwill balance and each person's, lowest first."""
        from netfolio.reports import goodwill_lines

        return goodwill_lines(self.snapshot(as_of, kept=True), self.day(as_of), self.params(),
                              ask_only=ask_only, takers=takers)

    # -- practice ---------------------------------------------------------------------

    if TYPE_CHECKING:
        from netfolio.core.practice_facts import LedgerFacts, PlanActionInfo
        from netfolio.practice.ask import AskReport
        from netfolio.practice.coach import CheckResult, Draft
        from netfolio.practice.plan import PlanReport
        from netfolio.practice.reminders import CalendarInfo

    def _week(self, week: str | dt.date | None) -> dt.date:
        """The Monday of the week containing ``week`` (a date, a typed date, or today)."""
        from netfolio.core.practice_facts import week_of
        from netfolio.core.snapshot import day_to_date
        from netfolio.errors import ValidationError

        day = day_to_date(self.day(week))
        if not dt.date(1900, 1, 8) <= day <= dt.date(9998, 12, 24):
            raise ValidationError(
                f"the week of {day.isoformat()} is out of range: a plan's week lies between "
                "1900 and 9998")
        return week_of(day)

    def _plan_week(self, week: str | dt.date | None) -> dt.date:
        """The Monday of the week to plan: the week of ``week``; by default this week, or on a
        Saturday or Sunday the coming one (a plan for a week that is ending helps nobody)."""
        from netfolio.core.snapshot import day_to_date

        monday = self._week(week)
        if week is None and day_to_date(self.day(None)).weekday() >= 5:
            monday += dt.timedelta(weeks=1)
        return monday

    def _practice_inputs(
        self, first_week: dt.date | None = None, last_week: dt.date | None = None,
        texts: bool = False, snapshot: Snapshot | None = None, kept_day: int | None = None,
    ) -> tuple[Snapshot, LedgerFacts]:
        """The snapshot and the ledger facts the practice reads, from one transaction
        (a ``snapshot`` already loaded from the same ledger version is reused; ``kept_day``:
        only that day's measures are read, from the statistics kept per person if they can)."""
        # occasions older than the plan's windows (60 days) cannot matter
        since = first_week - dt.timedelta(days=90) if first_week else None
        if (reader := self._reader()) is not None:
            with reader.conn.transaction():
                snap = snapshot if snapshot is not None else reader.snapshot(today=kept_day)
                facts = reader.ledger_facts(first_week=first_week, last_week=last_week,
                                            since=since, texts=texts)
            return snap, facts
        from netfolio.core.plan_actions import load_ledger_facts
        from netfolio.core.snapshot_load import load_snapshot

        with self.session(write=False) as s:
            snap = snapshot or (kept_day is not None and _kept_snapshot(s, kept_day)) \
                or load_snapshot(db_session=s)
            facts = load_ledger_facts(db_session=s, first_week=first_week, last_week=last_week,
                                      since=since, texts=texts)
        return snap, facts

    def plan(self, week: str | dt.date | None = None, *,
             snapshot: Snapshot | None = None) -> PlanReport:
        """This week's plan (or the plan of the week containing ``week``): touches within your
        weekly budget, spread across fields, each with its reasons and a way to give.

        ``snapshot``: the ledger's columns if already loaded (the web app keeps them)."""
        from netfolio.core.snapshot import day_to_date
        from netfolio.practice.plan import weekly_plan

        monday = self._plan_week(week)
        snap, facts = self._practice_inputs(monday, monday, snapshot=snapshot)
        return weekly_plan(snap, monday, self.params(), facts,
                           today=day_to_date(self.day(None)))

    def plan_done(
        self, ref: str | int, *, intent: str | None = None, channel: str = "message",
        note: str | None = None, when: str | dt.date | None = None,
    ) -> PlanActionInfo:
        """Log a touch with a person of the plan and mark it done for its week.

        ``intent`` None takes the one the plan suggested (a give for a thank-you, a
        congratulation, a share or an introduction; catch_up otherwise).
        """
        from netfolio.core.dates import parse_when
        from netfolio.core.enums import Channel, Intent
        from netfolio.core.interactions import log_interaction
        from netfolio.core.plan_actions import PlanActionInfo, record_plan_action
        from netfolio.errors import ValidationError

        moment, date_only = parse_when(when) if not isinstance(when, dt.date) else (
            dt.datetime.combine(when, dt.time(12)).astimezone(), True)
        # a touch logged now, on a weekend, belongs to the coming week's plan it came from
        monday = self._plan_week(None) if when is None else self._week(moment.date())
        person_id = self.get(ref).id
        suggested = None
        if intent is None or note is None:
            item = self.plan(monday).item_for(person_id)
            suggested = item.suggestion if item else None
        chosen = intent or (suggested.intent if suggested else "catch_up")
        try:
            ch, it = Channel.parse(channel), Intent.parse(chosen)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if note is None and suggested is not None:
            note = f"From the plan: {suggested.text}"
        with self.session() as s:
            person = self._person(s, person_id)
            row = log_interaction(
                db_session=s, people=[person], when=moment.date() if date_only else moment,
                channel=ch, intent=it, note=note, source="plan", date_only=date_only,
            )
            record_plan_action(db_session=s, person=person, week=monday, action="done",
                               on=moment.date(), interaction_id=row.id)
            return PlanActionInfo(person.id, person.display_name, monday, "done", moment.date(),
                                  interaction_id=row.id, intent=it.value, channel=ch.value)

    def _plan_mark(self, ref: str | int, action: str, week: dt.date,
                   until: dt.date | None = None) -> PlanActionInfo:
        from netfolio.core.plan_actions import PlanActionInfo, record_plan_action

        today = dt.date.today()
        with self.session() as s:
            person = self._person(s, ref)
            record_plan_action(db_session=s, person=person, week=week, action=action, on=today,
                               until=until)
            return PlanActionInfo(person.id, person.display_name, week, action, today,
                                  until=until)

    def plan_skip(self, ref: str | int, week: str | dt.date | None = None) -> PlanActionInfo:
        """Leave a person out of the plan of a week (this week by default)."""
        return self._plan_mark(ref, "skip", self._plan_week(week))

    def plan_snooze(self, ref: str | int, until: str | dt.date) -> PlanActionInfo:
        """Leave a person out of every plan until the week containing ``until``."""
        from netfolio.core.dates import parse_day

        day = until if isinstance(until, dt.date) else parse_day(until)
        return self._plan_mark(ref, "snooze", self._week(None), until=day)

    def ask(
        self, need: str = "", *, company: str | None = None, field: str | None = None,
        title: str | None = None, city: str | None = None, tier: int | None = None,
        as_of: str | dt.date | None = None, offset: int = 0, limit: int | None = None,
        snapshot: Snapshot | None = None, measured: Portfolio | None = None,
        facts: LedgerFacts | None = None,
    ) -> AskReport:
        """Who is best placed to help with a need, who has the bandwidth, and warm paths to the
        people matching it whom you do not know yet (``offset``/``limit`` page both lists).

        ``snapshot``, ``measured`` and ``facts``: the ledger's columns, the portfolio and the
        ledger facts (:meth:`practice_facts`) already computed for the same ledger version and
        day (the web app keeps them), so nothing is loaded again."""
        from netfolio.practice.ask import Need, ask_mode

        slug = None
        if field and (reader := self._reader()) is not None:
            slug = reader.resolve_field(field)
        elif field:
            from netfolio.core.fields import resolve_field

            with self.session(write=False) as s:
                slug = resolve_field(db_session=s, text=field).slug
        if facts is None or snapshot is None or (city and not facts.locations):
            snap, facts = self._practice_inputs(texts=bool(city), snapshot=snapshot,
                                                kept_day=self.day(as_of))
        else:
            snap = snapshot
        wanted = Need(text=need, company=company, field=slug, title=title, city=city,
                      tier=tier)
        relevance = self._relevance(snap, need, facts.field_names)
        folio = measured if measured is not None and snapshot is not None else None
        day = folio.as_of if folio is not None and as_of is None else self.day(as_of)
        if folio is not None and folio.as_of != day:
            folio = None
        return ask_mode(snap, day, self.params(), facts, wanted,
                        relevance=relevance, offset=offset, limit=limit,
                        strength=folio.strength if folio else None,
                        goodwill=folio.goodwill if folio else None)

    def practice_facts(self, *, snapshot: Snapshot | None = None,
                       texts: bool = False) -> LedgerFacts:
        """The ledger facts ask mode reads (names, tags, field names; ``texts``: notes and
        places too, for a city), for a caller that keeps them with its snapshot
        (``ask(..., facts=)``; ``snapshot``: that one)."""
        return self._practice_inputs(snapshot=snapshot or self.snapshot(), texts=texts)[1]

    def _relevance(self, snap: Snapshot, need: str, field_names: dict[str, str]) -> Any:
        """How well each person matches the need's words, from the people search index."""
        import numpy as np

        from netfolio.core import search
        from netfolio.practice.ask import RELEVANCE_PARTS, ROLE_WEIGHTS, WORD_WEIGHTS, Relevance
        from netfolio.practice.need import parse_need, speciality_prefix
        from netfolio.practice.people import Reason

        parsed = parse_need(need)
        n = snap.n_people
        score = np.zeros(n, dtype=np.float64)
        # each word as written, and a speciality's stem as a prefix ("cardiology" finds
        # "cardiologist", which the stemmers keep apart)
        words = [search.Phrase((w,)) for w in parsed.words] + [
            search.Phrase((stem,), prefix=True)
            for w in parsed.words if (stem := speciality_prefix(w))]
        roles = [p for r in parsed.roles if (p := search.Phrase.of(r))]
        ids = snap.person_id

        def add(hits: list[tuple[int, float]], weight: float) -> None:
            if not hits:
                return
            pid = np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits))
            val = np.fromiter((h[1] for h in hits), dtype=np.float64, count=len(hits))
            at = np.clip(np.searchsorted(ids, pid), 0, max(n - 1, 0))
            ok = (at < n) & (ids[at] == pid) if n else np.zeros(len(pid), dtype=bool)
            top = float(val.max()) or 1.0
            np.add.at(score, at[ok], weight * val[ok] / top)

        if words:
            with self._search_db() as s:
                add(search.rank(db_session=s, phrases=words, weights=WORD_WEIGHTS),
                    RELEVANCE_PARTS["words"])
                if roles:
                    add(search.rank(db_session=s, phrases=roles, weights=ROLE_WEIGHTS),
                        RELEVANCE_PARTS["roles"])
            slugs = {sl: i for i, sl in enumerate(snap.field_slugs)}
            wanted = [slugs[f] for f in parsed.fields if f in slugs]
            if wanted:
                rows = np.unique(snap.pf_person[np.isin(snap.pf_field, wanted)])
                score[rows] += RELEVANCE_PARTS["field"]

        def explain(rows: Sequence[int]) -> dict[int, tuple[Reason, ...]]:
            rows = list(rows)
            if not rows:
                return {}
            by_id = {int(ids[r]): r for r in rows}
            with self._search_db() as s:
                found = search.highlights(db_session=s, person_ids=by_id,
                                          phrases=[*words, *roles])
            out: dict[int, tuple[Reason, ...]] = {}
            where = {"organisation": "works at {v}", "title": "title: {v}",
                     "fields": "in the field {v}", "tags": "tagged {v}",
                     "notes": "your notes: “{v}”", "shared": "told you: “{v}”",
                     "place": "based in {v}", "name": "name: {v}"}
            for pid, row in by_id.items():
                reasons: list[Reason] = []
                for column, (value, matched) in found.get(pid, {}).items():
                    if column == "fields":
                        continue
                    shown = _snippet(value, matched)
                    reasons.append(Reason(
                        column if column != "organisation" else "organisation",
                        where[column].format(v=shown) + f" (matched {', '.join(matched)})",
                        {"matched": list(matched), "value": value}))
                mine = set(snap.fields_of(row))
                for slug in parsed.fields:
                    if slug in mine:
                        reasons.append(Reason(
                            "field", f"in the field {field_names.get(slug, slug)}, which the "
                            "need points at", {"matched": slug, "value": slug}))
                out[row] = tuple(reasons)
            return out

        return Relevance(score=score, explain=explain, parsed=parsed)

    @contextmanager
    def _search_db(self) -> Iterator[Any]:
        """What the people search index is read through: the lean path's connection, or an
        ORM session that only reads."""
        if (reader := self._reader()) is not None:
            yield reader.conn
            return
        with self.session(write=False) as s:
            yield s

    def ask_record(self, ref: str | int, what: str, *, channel: str = "message",
                   when: str | dt.date | None = None) -> AskInfo:
        """Record an ask you made (a withdrawal from your goodwill with them)."""
        from netfolio.core.asks import record_ask
        from netfolio.core.dates import parse_day

        day = when if isinstance(when, dt.date) else parse_day(when)
        with self.session() as s:
            ask = record_ask(db_session=s, person=self._person(s, ref), what=what, when=day,
                             channel=channel)
            return AskInfo.of(ask)

    def ask_resolve(self, ask_id: int, status: str, *,
                    on: str | dt.date | None = None) -> AskInfo:
        """Close an ask: fulfilled (a thank-you joins the next plan), declined or withdrawn."""
        from netfolio.core.asks import resolve_ask
        from netfolio.core.dates import parse_day
        from netfolio.core.enums import AskStatus
        from netfolio.errors import ValidationError

        try:
            parsed = AskStatus.parse(status)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        day = on if isinstance(on, dt.date) else parse_day(on)
        with self.session() as s:
            return AskInfo.of(resolve_ask(db_session=s, ask_id=ask_id, status=parsed, on=day))

    def _one_tie(self, ref: str | int) -> tuple[int, Snapshot, LedgerFacts]:
        """One person's ledger as a snapshot (their strength and goodwill are exact)."""
        from netfolio.core.plan_actions import load_ledger_facts, load_person_snapshot
        from netfolio.core.settings import get_me

        with self.session(write=False) as s:
            person = self._person(s, ref)
            snap = load_person_snapshot(db_session=s, person=person,
                                        own_fields=get_me(db_session=s).own_fields)
            facts = load_ledger_facts(db_session=s, texts=True, person_ids=[person.id])
            return person.id, snap, facts

    def compose(self, ref: str | int, purpose: str | None = None, *,
                seed: int | None = None, introduce: str | int | None = None) -> Draft:
        """An opener for a person that invites them to share (``purpose``: learn, reconnect,
        congratulate, thank or intro; None chooses from the ledger). For ``intro``, the person
        to ``introduce`` them to; by default the plan's pick."""
        from netfolio.practice.drafts import draft_for

        person_id, snap, facts = self._one_tie(ref)
        pair = None
        if purpose == "intro":
            pair = self._introduction(person_id, introduce)
        return draft_for(snap, person_id, self.day(None), self.params(), facts, purpose,
                         seed=seed, introduce=pair)

    def _introduction(self, person_id: int, other: str | int | None) -> tuple[str, str] | None:
        """(name, shared interest) of the person to introduce ``person_id`` to."""
        from netfolio.measures import tie_strength
        from netfolio.practice.plan import suggest_introduction

        snap, facts = self._practice_inputs()
        row = snap.row_of(person_id)
        if other is None:
            found = suggest_introduction(snap, row, tie_strength(snap, self.day(None),
                                                                 self.params()), facts)
            return (found[0].name, found[1]) if found else None
        them = self.get(other)
        shared = sorted(set(snap.fields_of(row)) & set(them.fields))
        interest = facts.field_names.get(shared[0], shared[0]) if shared else "your work"
        return them.display_name, interest

    def check(self, draft: str, ref: str | int | None = None) -> CheckResult:
        """Score a draft 0-100 (50+: send it) with specific findings; with ``ref`` the check
        knows whether this is a first contact or a weak tie."""
        from netfolio.practice.coach import check
        from netfolio.practice.drafts import context_for

        if ref is None:
            return check(draft)
        person_id, snap, facts = self._one_tie(ref)
        return check(draft, context_for(snap, person_id, self.day(None), self.params(), facts))

    def calendar(self, path: str | PathLike[str], *, weeks: int = 4,
                 week: str | dt.date | None = None) -> CalendarInfo:
        """Write the plans of ``weeks`` weeks (from this week) and birthdays as iCalendar."""
        from pathlib import Path

        from netfolio.errors import ValidationError
        from netfolio.practice.plan import weekly_plan
        from netfolio.practice.reminders import CalendarInfo, calendar_ics

        if not 1 <= weeks <= 52:
            raise ValidationError("export between 1 and 52 weeks of plans")
        first = self._week(week)
        last = first + dt.timedelta(weeks=weeks - 1)
        snap, facts = self._practice_inputs(first, last)
        params = self.params()
        plans = [weekly_plan(snap, first + dt.timedelta(weeks=i), params, facts)
                 for i in range(weeks)]
        contacted = set(snap.person_id[snap.ix_person].tolist())
        birthdays = {pid: b for pid, b in facts.birthdays.items() if pid in contacted}
        names = {int(pid): snap.name[i] for i, pid in enumerate(snap.person_id.tolist())
                 if pid in birthdays}
        data = calendar_ics(plans, birthdays, names)
        target = Path(path)
        target.write_bytes(data)
        return CalendarInfo(
            path=str(target), first_week=first, weeks=weeks,
            touches=sum(len(p.items) for p in plans),
            cancelled=sum(len(p.skipped) + len(p.snoozed) for p in plans),
            birthdays=len(birthdays),
        )

    # -- fields -----------------------------------------------------------------------

    def fields(self) -> list[FieldInfo]:
        if (reader := self._reader()) is not None:
            own = set(reader.me().own_fields)
            return [FieldInfo(slug=slug, name=name, description=description, custom=custom,
                              people=count, own=slug in own)
                    for slug, name, description, custom, count in reader.fields()]
        from netfolio.core.fields import list_fields
        from netfolio.core.settings import get_me

        with self.session(write=False) as s:
            own = set(get_me(db_session=s).own_fields)
            return [
                FieldInfo(slug=f.slug, name=f.name, description=f.description,
                          custom=f.custom, people=n, own=f.slug in own)
                for f, n in list_fields(db_session=s)
            ]

    def set_fields(self, ref: str | int, fields: Sequence[str]) -> PersonInfo:
        """Set a person's fields by hand (this overrides what was inferred)."""
        return self.edit(ref, fields=list(fields))

    def add_field(self, name: str, description: str = "") -> FieldInfo:
        from netfolio.core.fields import add_custom_field

        with self.session() as s:
            f = add_custom_field(db_session=s, name=name, description=description)
            return FieldInfo(slug=f.slug, name=f.name, description=f.description,
                             custom=True, people=0, own=False)

    # -- import, export, backup -------------------------------------------------------

    def import_file(
        self, path: str | PathLike[str] | Sequence[str | PathLike[str]],
        format: str | None = None, *, dry_run: bool = False, strict: bool = False,
        yes: bool = False, me: Sequence[str] = (), keep_content: bool = False,
        max_attendees: int | None = None, include_large: bool = False,
        progress: Progress | None = None, resolver: Resolver | None = None,
    ) -> ImportReport:
        """Import one file, or several as one run: all of it or nothing.

        ``format`` is detected from the content when None. ``me`` adds your own addresses
        (emails, a LinkedIn URL or your name) to those set with ``init``. Possible
        duplicates go to ``resolver`` (default: listed for :meth:`duplicates`; ``yes``
        merges confident ones). ``dry_run`` reports what would change and writes nothing.
        """
        from os import PathLike

        from sqlalchemy.exc import SQLAlchemyError

        from netfolio.core.identity import identity_kind
        from netfolio.core.settings import get_me
        from netfolio.errors import DatabaseError
        from netfolio.io.files import read_inputs
        from netfolio.io.matching import ListForLater, MergeConfident
        from netfolio.io.pipeline import ImportOptions, run_import

        paths = [path] if isinstance(path, str | PathLike) else list(path)
        with self.session() as s:
            mine = get_me(db_session=s)
        kinds = [(identity_kind(m), m) for m in me]
        emails = [*mine.emails, *(m for kind, m in kinds if kind == "email")]
        urls = [*mine.profiles, *(m for kind, m in kinds if kind == "profile")]
        names = [*([mine.name] if mine.name else []), *mine.other_names,
                 *(m for kind, m in kinds if kind == "name")]
        options = ImportOptions(
            me_emails=emails, me_urls=urls, me_names=names, region=mine.region, strict=strict,
            keep_content=keep_content, max_attendees=max_attendees,
            include_large=include_large,
        )
        inputs = read_inputs(paths, format, options.parser_options(), progress)
        chosen = resolver or (MergeConfident() if yes else ListForLater())
        try:
            with self.session() as s:
                report = run_import(db_session=s, inputs=inputs, options=options,
                                    resolver=chosen, dry_run=dry_run, progress=progress)
                if dry_run:
                    s.rollback()
                else:
                    _planner_statistics(s)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"the import could not be saved; nothing was written: {exc}") \
                from exc
        if not dry_run:
            self._refresh_directory()
        return report

    def _refresh_directory(self) -> None:
        """After a change that may move many people (an import), bring what this member
        shares with the team up to date (names, organisations, strength buckets)."""
        if not self.database.postgres:
            return
        from sqlalchemy import select

        from netfolio.core.models import ShareRule

        with self.session() as s:
            sharing = s.execute(select(ShareRule.id).limit(1)).first() is not None
        if sharing:
            self.team.sync()

    def import_undo(self, *, force: bool = False) -> UndoReport:
        """Revert the last import run (the people it added, the facts it changed, ...)."""
        from netfolio.io.runs import undo_last_run

        with self.session() as s:
            return undo_last_run(db_session=s, force=force)

    def import_history(self, limit: int | None = None) -> list[RunInfo]:
        """Import runs, newest first."""
        from netfolio.io.runs import import_history

        with self.session(write=False) as s:
            return import_history(db_session=s, limit=limit)

    def duplicates(self, status: str | None = "open") -> list[DuplicateInfo]:
        """Possible duplicates to review (``status`` None: all of them), most alike first."""
        from netfolio.core.duplicates import list_duplicates
        from netfolio.core.people import label
        from netfolio.io.pipeline import DuplicateInfo

        with self.session(write=False) as s:
            return [
                DuplicateInfo(d.id, Ref(a.id, label(a)), Ref(b.id, label(b)), d.score, d.reason,
                              d.status)
                for d, a, b in list_duplicates(db_session=s, status=status)
            ]

    def resolve_duplicate(
        self, duplicate_id: int, action: str, *, keep: int | None = None
    ) -> PersonInfo | None:
        """``merge`` a possible duplicate (keeping ``keep``, by default the first) or
        ``dismiss`` it; returns the person kept after a merge."""
        from netfolio.core.duplicates import dismiss_duplicate, get_duplicate, merge_duplicate
        from netfolio.errors import ValidationError
        from netfolio.io.identity_history import recorded

        with self.session() as s:
            if action == "merge":
                row = get_duplicate(db_session=s, duplicate_id=duplicate_id)
                with recorded(s, "merge", f"merged possible duplicate #{duplicate_id}",
                              [row.a_id, row.b_id]):
                    kept = merge_duplicate(db_session=s, duplicate_id=duplicate_id,
                                           keep_id=keep)
                return PersonInfo.of(kept)
            if action == "dismiss":
                dismiss_duplicate(db_session=s, duplicate_id=duplicate_id)
                return None
        raise ValidationError(f"{action!r}: say merge or dismiss")

    def export(self, format: str, path: str | PathLike[str]) -> ExportInfo:
        """Write the ledger to ``path`` as ``vcard`` (4.0), ``csv`` or ``json`` (all of it)."""
        from pathlib import Path

        from netfolio.io.export import export_ledger

        with self.session(write=False) as s:
            return export_ledger(db_session=s, format=format, path=Path(path))

    def backup(self, path: str | PathLike[str]) -> ExportInfo:
        """Copy the ledger to ``path``: SQLite's online backup of the file, or (any
        database, or a name ending in .json) the JSON ledger."""
        from pathlib import Path

        from netfolio.io.backup import backup

        return backup(self.database, Path(path))

    def restore(self, path: str | PathLike[str], *, replace: bool = False) -> RestoreInfo:
        """Restore a backup (a SQLite file or a JSON ledger) into this ledger.

        Into an empty ledger only, unless ``replace`` (a copy of the current SQLite file is
        kept beside it first).
        """
        from pathlib import Path

        from netfolio.io.backup import restore

        info = restore(self.database, Path(path), replace=replace)
        self.close()  # the file may have been replaced: reopen (and upgrade) on next use
        return info

    # -- sync: the user's own servers ----------------------------------------------------

    def sync_add(
        self, kind: str, name: str, url: str, *, username: str | None = None,
        password: str | None = None, password_env: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> SourceInfo:
        """Add a sync source (``imap`` or ``ics``; see docs/sync.md). ``password`` goes to the
        OS keyring, never the ledger; ``password_env`` names a variable to read it from."""
        from netfolio.io.sync.credentials import store_password
        from netfolio.io.sync.sources import SourceInfo, add_source

        with self.session() as s:
            source = add_source(db_session=s, name=name, kind=kind, url=url, username=username,
                                password_env=password_env, options=options)
            if password:
                store_password(name=source.name, url=source.url, username=source.username,
                               password=password)
            return SourceInfo.of(source)

    def sync_sources(self) -> list[SourceInfo]:
        """Every sync source, with its last sync's time, status and figures."""
        from netfolio.io.sync.sources import SourceInfo, list_sources

        with self.session() as s:
            return [SourceInfo.of(x) for x in list_sources(db_session=s)]

    def sync_remove(self, name: str, *, forget_password: bool = True) -> SourceInfo:
        """Remove a source (what it imported stays); its keyring entry too, unless another
        source uses the same account."""
        from netfolio.io.sync.credentials import forget_password as forget
        from netfolio.io.sync.sources import SourceInfo, list_sources, remove_source

        with self.session() as s:
            info = SourceInfo.of(remove_source(db_session=s, name=name))
            shared = any(x.url == info.url and x.username == info.username
                         for x in list_sources(db_session=s))
        if forget_password and not shared:
            forget(url=info.url, username=info.username)
        return info

    def sync_test(self, name: str) -> dict[str, Any]:
        """Connect and log in to a source, and say what a sync would read (nothing is
        imported)."""
        from netfolio.io.sync.probe import probe_source

        return probe_source(session=self.session, name=name)

    def sync(
        self, name: str | None = None, *, yes: bool = False, progress: Progress | None = None,
        resolver: Resolver | None = None, chunk: int | None = None, batch: int | None = None,
    ) -> list[SyncReport]:
        """Sync one source, or every source: what is new on each server becomes import runs
        (see :mod:`netfolio.io.sync.run`). A source that fails is reported in its report's
        ``error``, and the others go on; with one named source, its error is raised.
        ``chunk`` messages make one import run (and commit); ``batch`` UIDs one FETCH."""
        from netfolio.core.settings import get_me
        from netfolio.errors import NetfolioError
        from netfolio.io.matching import ListForLater, MergeConfident
        from netfolio.io.pipeline import ImportOptions
        from netfolio.io.sync.imap import BATCH
        from netfolio.io.sync.run import CHUNK, SyncReport, iter_sources, sync_source

        with self.session() as s:
            mine = get_me(db_session=s)
        options = ImportOptions(me_emails=list(mine.emails),
                                me_names=[mine.name] if mine.name else [], region=mine.region)
        chosen = resolver or (MergeConfident() if yes else ListForLater())
        names = [name] if name else list(iter_sources(session=self.session))
        reports: list[SyncReport] = []
        for each in names:
            try:
                reports.append(sync_source(session=self.session, name=each, options=options,
                                           resolver=chosen, progress=progress,
                                           chunk=chunk or CHUNK, batch=batch or BATCH))
            except NetfolioError as exc:
                if name:
                    raise
                reports.append(SyncReport(source=each, kind="", error=str(exc)))
        if any(r.runs for r in reports):
            self._refresh_directory()
        return reports

    # -- team ---------------------------------------------------------------------------

    def migrate_to(self, url: str, user: str, *, dry_run: bool = False,
                   progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """Copy this ledger into the empty network of ``user`` in the team database at
        ``url`` (they must exist there: ``netfolio team add-user``), verifying every count
        as that user sees it; all of it or nothing. ``progress(line)`` hears what is being
        done. Returns how many of each were copied (a dry run copies, checks, rolls back).

            >>> Network("netfolio.db").migrate_to(team_url, "ana")  # doctest: +SKIP
        """
        from netfolio.io.migrate import migrate_ledger, open_target

        target = open_target(url, user)
        try:
            return migrate_ledger(source=self.database, target=target, dry_run=dry_run,
                                  progress=progress)
        finally:
            target.close()


def _planner_statistics(s: Session) -> None:
    """Fresh planner statistics after a bulk write (an import), in its transaction."""
    from netfolio.core.planner_stats import analyze

    analyze(s.connection().connection.dbapi_connection)


def _kept_snapshot(s: Session, day: int) -> Snapshot | None:
    """Day ``day``'s snapshot from the statistics kept per person (None: they cannot answer)."""
    from netfolio.core.person_stats import load_today

    return load_today(s.connection().connection.dbapi_connection, day)


def _snippet(value: str, matched: Sequence[str], width: int = 60) -> str:
    """``value`` cut to about ``width`` characters around its first matched word."""
    if len(value) <= width:
        return value
    at = max(0, value.casefold().find(matched[0].casefold()) if matched else 0)
    start = max(0, at - width // 3)
    end = min(len(value), start + width)
    if start and not value[start - 1].isspace():  # begin and end on whole words
        start = next((k + 1 for k in range(start, at) if value[k].isspace()), at)
    if end < len(value) and not value[end].isspace():
        end = next((k for k in range(end - 1, at, -1) if value[k].isspace()), end)
    cut = value[start:end].strip()
    return ("…" if start else "") + cut + ("…" if end < len(value) else "")
