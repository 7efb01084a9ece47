"""The team: what each member shares, the shared directory, team asks and introductions.

A member opts in per field or per person (:class:`ShareRule`); their directory entries
say "I know this person" with the name, organisation, title, field and a strength bucket,
never notes, interactions or contact details. Buckets are computed from the member's own
measures one level up (:mod:`netfolio.practice.team`) and written here by
:func:`write_directory`. A team ask reads everyone's entries; an introduction request goes
from a teammate to the member who shared the person, who accepts or declines.

Every function acts for the session's user (:func:`netfolio.core.users.acting_user`);
on PostgreSQL the row-level security policies hold the same line below.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from netfolio.core.identity import fold_name
from netfolio.core.models import (
    AppUser,
    DirectoryEntry,
    Field,
    IntroRequest,
    Person,
    PersonField,
    ShareRule,
    utcnow,
)
from netfolio.core.shapes import Iso, Plain, record
from netfolio.core.users import acting_user
from netfolio.errors import NotFoundError, ValidationError

#: Strength buckets, strongest first; stored as their index.
BUCKETS = ("strong", "familiar", "weak")
STATUSES = ("pending", "accepted", "declined", "withdrawn")
_NON_WORD = re.compile(r"[\W_]+")


def org_key(text: str | None) -> str:
    """An organisation or title folded for matching: case, accents and punctuation gone.

    >>> org_key("Stripe, Inc.")
    'stripe inc'
    """
    return _NON_WORD.sub(" ", fold_name(text)).strip()


# -- sharing rules --------------------------------------------------------------------------


def set_share(
    *, db_session: Session, share: bool | None, person: Person | None = None,
    field: Field | None = None,
) -> None:
    """Share (True), never share (False) or forget the rule (None) for a person or a field."""
    if (person is None) == (field is None):
        raise ValidationError("share a person or a field")
    if field is not None and share is False:
        raise ValidationError(
            f"a field is shared or not: forget the rule for {field.name} to stop sharing it "
            "(a person can be kept out one by one)"
        )
    where = (ShareRule.person_id == person.id if person is not None
             else ShareRule.field == (field.slug if field is not None else None))
    rule = db_session.execute(select(ShareRule).where(where)).scalar_one_or_none()
    if share is None:
        if rule is not None:
            db_session.delete(rule)
    elif rule is None:
        db_session.add(ShareRule(person_id=person.id if person else None,
                                 field=field.slug if field else None, share=share))
    else:
        rule.share = share
    db_session.flush()


@record
class SharedPerson(NamedTuple):
    """A person shared with the team (``share``), or kept out of it, one by one."""

    id: int
    name: str
    share: bool


@dataclass(frozen=True)
class ShareRules(Plain):
    """Your sharing rules: fields shared whole, and people shared (or kept out) one by one."""

    fields: list[str]
    people: list[SharedPerson]


def share_rules(*, db_session: Session) -> ShareRules:
    rows = db_session.execute(
        select(ShareRule.field, ShareRule.person_id, ShareRule.share, Person.display_name)
        .outerjoin(Person, Person.id == ShareRule.person_id)
        .order_by(ShareRule.field, Person.name_key)
    ).all()
    return ShareRules(
        fields=[r.field for r in rows if r.field is not None],
        people=[SharedPerson(r.person_id, r.display_name, r.share) for r in rows
                if r.person_id is not None],
    )


def shared_person_ids(*, db_session: Session) -> set[int]:
    """The people the acting user shares: those of a shared field, plus people shared one
    by one, minus people kept out one by one."""
    rules = db_session.execute(select(ShareRule.person_id, ShareRule.field, ShareRule.share))
    fields: set[str] = set()
    keep: set[int] = set()
    drop: set[int] = set()
    for person_id, field, share in rules:
        if field is not None:
            if share:
                fields.add(field)
        elif person_id is None:
            continue
        elif share:
            keep.add(person_id)
        else:
            drop.add(person_id)
    if fields:
        keep |= set(db_session.execute(
            select(PersonField.person_id).where(PersonField.field.in_(fields))
        ).scalars())
    return keep - drop


# -- the directory --------------------------------------------------------------------------


@dataclass(frozen=True)
class Shared:
    """One person as the acting user shares them."""

    person_id: int
    bucket: int


def write_directory(*, db_session: Session, shared: Iterable[Shared]) -> dict[str, int]:
    """Make the acting user's directory entries exactly ``shared`` (names, organisations,
    titles and first fields read from their people now); returns what changed."""
    owner = acting_user(db_session)
    wanted = {s.person_id: s.bucket for s in shared}
    for bucket in wanted.values():
        if bucket not in range(len(BUCKETS)):
            raise ValidationError(f"no strength bucket {bucket}")
    have = {e.person_id: e for e in db_session.execute(
        select(DirectoryEntry).where(DirectoryEntry.owner_id == owner)).scalars()}
    gone = [pid for pid in have if pid not in wanted]
    if gone:
        db_session.execute(delete(DirectoryEntry).where(
            DirectoryEntry.owner_id == owner, DirectoryEntry.person_id.in_(gone)))
    first_field: dict[int, str] = {}
    people: dict[int, Person] = {}
    ids = list(wanted)
    for lo in range(0, len(ids), 5000):
        chunk = ids[lo:lo + 5000]
        people.update((p.id, p) for p in db_session.execute(
            select(Person).where(Person.id.in_(chunk))).scalars())
        for pid, slug in db_session.execute(
            select(PersonField.person_id, PersonField.field)
            .where(PersonField.person_id.in_(chunk))
            .order_by(PersonField.person_id, PersonField.inferred, PersonField.field)
        ):
            first_field.setdefault(pid, slug)
    added = updated = 0
    now = utcnow()
    for pid, bucket in wanted.items():
        person = people.get(pid)
        if person is None:
            raise NotFoundError(f"no person #{pid} in your network")
        facts = {
            "display_name": person.display_name, "name_key": person.name_key,
            "organisation": person.organisation, "org_key": org_key(person.organisation),
            "title": person.title, "title_key": org_key(person.title),
            "field": first_field.get(pid), "bucket": bucket,
        }
        entry = have.get(pid)
        if entry is None:
            db_session.add(DirectoryEntry(person_id=pid, updated_at=now, **facts))
            added += 1
        elif any(getattr(entry, k) != v for k, v in facts.items()):
            for k, v in facts.items():
                setattr(entry, k, v)
            entry.updated_at = now
            updated += 1
    db_session.flush()
    return {"shared": len(wanted), "added": added, "updated": updated, "removed": len(gone)}


@dataclass(frozen=True)
class Entry(Plain):
    """A directory entry as teammates see it (``name`` and ``strength`` in JSON)."""

    id: int
    owner_id: int
    owner: str
    display_name: str
    organisation: str | None
    title: str | None
    field: str | None
    bucket: str
    json_hidden = ("display_name", "bucket")
    json_extra = ("name", "strength")

    @property
    def name(self) -> str:
        return self.display_name

    @property
    def strength(self) -> str:
        return self.bucket


@dataclass(frozen=True)
class TeamQuery(Plain):
    """Who to look for: at an organisation, in a field, with a title (any combination)."""

    organisation: str | None = None
    field: str | None = None
    title: str | None = None

    def describe(self) -> str:
        parts = []
        if self.organisation:
            parts.append(f"at {self.organisation}")
        if self.field:
            parts.append(f"in {self.field}")
        if self.title:
            parts.append(f"with title {self.title!r}")
        return " ".join(parts)


def _matching(query: TeamQuery) -> list[Any]:
    where: list[Any] = []
    if query.organisation:
        key = org_key(query.organisation)
        if not key:
            raise ValidationError("name an organisation to look for")
        where.append(or_(DirectoryEntry.org_key == key,
                         DirectoryEntry.org_key.startswith(key + " ", autoescape=True)))
    if query.field:
        where.append(DirectoryEntry.field == query.field)
    if query.title:
        key = org_key(query.title)
        if not key:
            raise ValidationError("name a title to look for")
        where.append((" " + DirectoryEntry.title_key + " ")
                     .contains(f" {key} ", autoescape=True))
    if not where:
        raise ValidationError("say who to look for: an organisation, a field or a title")
    return where


def find_entries(
    *, db_session: Session, query: TeamQuery, limit: int = 200, include_own: bool = False,
) -> list[Entry]:
    """Teammates' directory entries matching ``query``, strongest ties first (then by name)."""
    me = acting_user(db_session)
    stmt = (
        _entries()
        .where(*_matching(query))
        .order_by(DirectoryEntry.bucket, DirectoryEntry.name_key, DirectoryEntry.id)
        .limit(limit)
    )
    if not include_own:
        stmt = stmt.where(DirectoryEntry.owner_id != me)
    return [_entry(r) for r in db_session.execute(stmt)]


def _entries() -> Any:  # a Select of the columns _entry reads
    """Directory entries as teammates see them, with the sharing member's name."""
    return select(
        DirectoryEntry.id, DirectoryEntry.owner_id, AppUser.display_name,
        DirectoryEntry.display_name, DirectoryEntry.organisation, DirectoryEntry.title,
        DirectoryEntry.field, DirectoryEntry.bucket,
    ).join(AppUser, AppUser.id == DirectoryEntry.owner_id)


def _entry(row: Any) -> Entry:
    return Entry(row[0], row[1], row[2], row[3], row[4], row[5], row[6], BUCKETS[row[7]])


def get_entry(*, db_session: Session, entry_id: int) -> Entry:
    row = db_session.execute(_entries().where(DirectoryEntry.id == entry_id)).first()
    if row is None:
        raise NotFoundError(f"no directory entry #{entry_id}")
    return _entry(row)


def own_entries(*, db_session: Session) -> list[Entry]:
    """What the acting member shares, strongest first."""
    rows = db_session.execute(
        _entries().where(DirectoryEntry.owner_id == acting_user(db_session))
        .order_by(DirectoryEntry.bucket, DirectoryEntry.name_key)
    )
    return [_entry(r) for r in rows]


@dataclass(frozen=True)
class Introducer:
    """A teammate who shared a person: ask them for an introduction with ``entry_id``."""

    entry_id: int
    teammate_id: int
    teammate: str
    #: strong, familiar or weak
    strength: str


@dataclass(frozen=True)
class TeamPath:
    """A warm path of two hops: you, a teammate, the person they know."""

    name: str
    organisation: str | None
    title: str | None
    field: str | None
    #: the teammates who know this person, strongest tie first
    introducers: list[Introducer]


@dataclass(frozen=True)
class Lead(Plain):
    """A teammate and how many matching people they know, per strength bucket."""

    teammate_id: int
    teammate: str
    #: how many matching people they know, per bucket (strong, familiar, weak)
    counts: tuple[int, int, int]
    json_hidden = ("counts",)
    json_extra = ("best", "strong", "familiar", "weak")

    @property
    def best(self) -> str:
        return next(BUCKETS[i] for i, n in enumerate(self.counts) if n)

    @property
    def strong(self) -> int:
        return self.counts[0]

    @property
    def familiar(self) -> int:
        return self.counts[1]

    @property
    def weak(self) -> int:
        return self.counts[2]


@dataclass(frozen=True)
class TeamAnswer(Plain):
    """Who on the team knows someone matching a query, best first."""

    query: TeamQuery
    #: teammates ranked by their strongest matching tie, then by how many they know
    leads: list[Lead]
    #: the people found, each with the teammates who could introduce you
    paths: list[TeamPath]
    #: True when more entries matched than were read
    truncated: bool


def team_ask(*, db_session: Session, query: TeamQuery, limit: int = 500) -> TeamAnswer:
    """Who on the team knows someone matching ``query`` best, and the warm paths through
    them. Ranked by the teammates' own tie strength (their buckets), as relationship-
    intelligence tools rank "who knows X best"; the same person shared by several
    teammates (same folded name and organisation) is one path with several introducers."""
    entries = find_entries(db_session=db_session, query=query, limit=limit + 1)
    truncated = len(entries) > limit
    entries = entries[:limit]
    counts: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    paths: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        counts.setdefault(e.owner_id, [0, 0, 0])[BUCKETS.index(e.bucket)] += 1
        names[e.owner_id] = e.owner
        paths.setdefault((fold_name(e.display_name), org_key(e.organisation)), []).append(e)
    leads = sorted(
        (Lead(uid, names[uid], (c[0], c[1], c[2])) for uid, c in counts.items()),
        key=lambda lead: ([-n for n in lead.counts], lead.teammate.casefold(), lead.teammate_id),
    )
    found = []
    for group in paths.values():
        group.sort(key=lambda e: (BUCKETS.index(e.bucket), e.owner.casefold()))
        top = group[0]
        found.append(TeamPath(
            top.display_name, top.organisation, top.title, top.field,
            [Introducer(e.id, e.owner_id, e.owner, e.bucket) for e in group],
        ))
    found.sort(key=lambda p: (BUCKETS.index(p.introducers[0].strength), -len(p.introducers),
                              fold_name(p.name)))
    return TeamAnswer(query, leads, found, truncated)


# -- introduction requests ----------------------------------------------------------------


def _request(db_session: Session, request_id: int) -> IntroRequest:
    me = acting_user(db_session)
    row = db_session.get(IntroRequest, request_id)
    if row is None or me not in (row.requester_id, row.introducer_id):
        raise NotFoundError(f"no introduction request #{request_id}")
    return row


def request_introduction(
    *, db_session: Session, entry_id: int, message: str = ""
) -> IntroRequest:
    """Ask the member who shared entry ``entry_id`` to introduce you to that person."""
    me = acting_user(db_session)
    entry = get_entry(db_session=db_session, entry_id=entry_id)
    if entry.owner_id == me:
        raise ValidationError("that is someone you shared yourself: no introduction needed")
    pending = db_session.execute(select(IntroRequest.id).where(
        IntroRequest.requester_id == me, IntroRequest.entry_id == entry_id,
        IntroRequest.status == "pending")).first()
    if pending is not None:
        raise ValidationError(
            f"you already asked for this introduction (request #{pending[0]}, pending)"
        )
    row = IntroRequest(
        requester_id=me, introducer_id=entry.owner_id, entry_id=entry.id,
        target_name=entry.display_name, target_organisation=entry.organisation,
        message=message.strip()[:2000], status="pending",
    )
    db_session.add(row)
    db_session.flush()
    return row


def entry_person_id(*, db_session: Session, request: IntroRequest) -> int | None:
    """The introducer's own person behind a request (None if they stopped sharing them)."""
    if request.entry_id is None:
        return None
    return db_session.execute(select(DirectoryEntry.person_id).where(
        DirectoryEntry.id == request.entry_id,
        DirectoryEntry.owner_id == acting_user(db_session))).scalar_one_or_none()


def decide_introduction(*, db_session: Session, request_id: int, accept: bool) -> IntroRequest:
    """The introducer accepts or declines a pending request (no reason asked)."""
    row = _request(db_session, request_id)
    if row.introducer_id != acting_user(db_session):
        raise ValidationError("only the teammate asked can accept or decline a request")
    if row.status != "pending":
        raise ValidationError(f"request #{request_id} is {row.status} already")
    row.status = "accepted" if accept else "declined"
    row.decided_at = utcnow()
    db_session.flush()
    return row


def withdraw_introduction(*, db_session: Session, request_id: int) -> IntroRequest:
    row = _request(db_session, request_id)
    if row.requester_id != acting_user(db_session):
        raise ValidationError("only the teammate who asked can withdraw a request")
    if row.status != "pending":
        raise ValidationError(f"request #{request_id} is {row.status} already")
    row.status = "withdrawn"
    row.decided_at = utcnow()
    db_session.flush()
    return row


def record_outcome(*, db_session: Session, request_id: int, outcome: str) -> IntroRequest:
    """Either party notes what came of an accepted introduction ("met for coffee", ...)."""
    row = _request(db_session, request_id)
    if row.status != "accepted":
        raise ValidationError(f"request #{request_id} is {row.status}: only an accepted "
                              "introduction has an outcome")
    text = outcome.strip()
    if not text:
        raise ValidationError("say what came of it")
    row.outcome = text[:300]
    row.outcome_at = utcnow()
    db_session.flush()
    return row


@dataclass(frozen=True)
class RequestInfo(Plain):
    """An introduction request as one of its two parties sees it (``target`` in JSON)."""

    id: int
    direction: str  # "incoming" (you are asked) or "outgoing" (you asked)
    requester: str
    introducer: str
    target_name: str
    target_organisation: str | None
    message: str
    status: str
    created_at: Annotated[dt.datetime, Iso()]
    decided_at: Annotated[dt.datetime | None, Iso()]
    outcome: str | None
    json_hidden = ("target_name",)
    json_extra = ("target",)

    @property
    def target(self) -> str:
        return self.target_name


def request_info(
    *, db_session: Session, request: IntroRequest, names: dict[int, str] | None = None
) -> RequestInfo:
    """``request`` as the acting user sees it (``names``: members' names by id, if known)."""
    me = acting_user(db_session)
    if names is None:
        names = _member_names(db_session, (request.requester_id, request.introducer_id))
    return RequestInfo(
        id=request.id, direction="incoming" if request.introducer_id == me else "outgoing",
        requester=names.get(request.requester_id, "?"),
        introducer=names.get(request.introducer_id, "?"),
        target_name=request.target_name, target_organisation=request.target_organisation,
        message=request.message, status=request.status, created_at=request.created_at,
        decided_at=request.decided_at, outcome=request.outcome,
    )


def _member_names(db_session: Session, ids: Iterable[int]) -> dict[int, str]:
    rows = db_session.execute(
        select(AppUser.id, AppUser.display_name).where(AppUser.id.in_(set(ids)))
    ).all()
    return {row[0]: row[1] for row in rows}


def list_requests(
    *, db_session: Session, statuses: Sequence[str] | None = None
) -> list[RequestInfo]:
    """The requests the acting user is part of, newest first."""
    me = acting_user(db_session)
    stmt = select(IntroRequest).where(
        or_(IntroRequest.requester_id == me, IntroRequest.introducer_id == me)
    ).order_by(IntroRequest.created_at.desc(), IntroRequest.id.desc())
    if statuses:
        stmt = stmt.where(IntroRequest.status.in_(statuses))
    found = list(db_session.execute(stmt).scalars())
    names = _member_names(db_session, {u for r in found
                                       for u in (r.requester_id, r.introducer_id)})
    return [request_info(db_session=db_session, request=r, names=names) for r in found]


def get_request(*, db_session: Session, request_id: int) -> IntroRequest:
    return _request(db_session, request_id)


__all__ = [
    "BUCKETS",
    "STATUSES",
    "Entry",
    "Introducer",
    "Lead",
    "RequestInfo",
    "ShareRules",
    "Shared",
    "TeamAnswer",
    "TeamPath",
    "TeamQuery",
    "decide_introduction",
    "entry_person_id",
    "find_entries",
    "get_entry",
    "get_request",
    "list_requests",
    "org_key",
    "own_entries",
    "record_outcome",
    "request_info",
    "request_introduction",
    "set_share",
    "share_rules",
    "shared_person_ids",
    "team_ask",
    "withdraw_introduction",
    "write_directory",
]
