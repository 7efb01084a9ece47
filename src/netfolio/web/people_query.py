"""Finding people for the People page and ``GET /api/v1/people``, fast at 100,000.

Text (and organisation) searches are ranked as ``netfolio search`` ranks them, through the
people search index of :mod:`netfolio.core.search` (:func:`~netfolio.core.people.search_people_ids`:
names first, then organisations, titles, the rest, each by bm25); each search's ranked ids are
kept with the measures, so the next page of the same search costs no query. Field and tag
filters without text run over the in-memory index (:mod:`netfolio.web.search`); sorting by strength,
tier, last contact or goodwill and the tier / overdue / dormant filters use the cached
measures (:mod:`netfolio.web.cache`) as numpy arrays. Both are computed once per ledger
version. Only the visible page of people is read from the ledger as full records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from netfolio.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from netfolio.network import Network, PersonInfo
    from netfolio.reports import PersonStanding
    from netfolio.web.cache import Measured
    from netfolio.web.search import SearchIndex

SORTS = ("relevance", "name", "strength", "tier", "last-contact", "goodwill")
PER_PAGE = 50
#: How many searches' ranked ids are kept per ledger generation.
KEEP_SEARCHES = 64


@dataclass
class PeopleFilter:
    """What the People page asks for; every filter given must match."""

    q: str | None = None
    field: str | None = None
    tier: str | None = None
    tag: str | None = None
    organisation: str | None = None
    overdue: bool = False
    dormant: bool = False
    #: None: by relevance when there is text to rank by, by name otherwise
    sort: str | None = None
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        for name in ("q", "field", "tier", "tag", "organisation"):
            value = getattr(self, name)
            setattr(self, name, (value.strip() or None) if isinstance(value, str) else None)
        if not self.sort:
            self.sort = self.default_sort
        if self.sort not in SORTS:
            raise ValidationError(f"sort by one of: {', '.join(SORTS)}")
        if self.sort == "relevance" and not self.ranked:
            self.sort = "name"  # nothing to rank by
        if self.tier is not None and self.tier != "outer" and not (
            self.tier.isdigit() and int(self.tier) in (5, 15, 50, 150, 500, 1500)
        ):
            raise ValidationError("tier is one of 5, 15, 50, 150, 500, 1500 or outer")
        self.page = max(1, self.page)
        self.per_page = min(max(1, self.per_page), 500)

    @property
    def ranked(self) -> bool:
        """Whether there is text to rank people by (a search or an organisation)."""
        return bool(self.q or self.organisation)

    @property
    def default_sort(self) -> str:
        return "relevance" if self.ranked else "name"

    @property
    def uses_measures(self) -> bool:
        return (self.sort not in ("name", "relevance") or bool(self.tier) or self.overdue
                or self.dormant)

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for links that keep them)."""
        out = {k: v for k, v in (("q", self.q), ("field", self.field), ("tier", self.tier),
                                 ("tag", self.tag), ("organisation", self.organisation))
               if v}
        if self.overdue:
            out["overdue"] = "1"
        if self.dormant:
            out["dormant"] = "1"
        if self.sort != self.default_sort:
            out["sort"] = str(self.sort)
        return out


@dataclass
class PeoplePage:
    rows: list[tuple[PersonInfo, PersonStanding | None]]
    total: int
    page: int
    pages: int
    per_page: int


def search_index(net: Network, measured: Measured | None) -> SearchIndex:
    """The search index kept with the measures (built on first use per ledger version)."""
    from netfolio.web.search import SearchIndex

    if measured is None:
        return SearchIndex.load(net)
    index: SearchIndex = measured.once("search", lambda: SearchIndex.load(net))
    return index


@dataclass
class FieldChoice:
    slug: str
    name: str
    people: int


def field_choices(net: Network, measured: Measured) -> list[FieldChoice]:
    """The fields that have people, by name, with how many (for the filters' lists)."""
    index = search_index(net, measured)
    names = measured.field_names
    return sorted((FieldChoice(slug, names.get(slug, slug), len(rows))
                   for slug, rows in index.fields.items() if len(rows)),
                  key=lambda f: f.name.casefold())


def _lookup(measured: Measured, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The measures' rows of ``ids`` and which of them the measures know."""
    known = measured.snapshot.person_id
    at = np.searchsorted(known, ids)
    ok = at < len(known)
    ok[ok] = known[at[ok]] == ids[ok]
    return np.where(ok, at, 0), ok


def _measure_keys(measured: Measured, rows: np.ndarray, sort: str) -> list[np.ndarray]:
    """Sort keys (least significant first, as np.lexsort takes them) for measure sorts."""
    if sort == "strength":
        return [-measured.strength[rows]]
    if sort == "tier":
        tier = measured.tier[rows]
        return [-measured.strength[rows], np.where(tier == 0, 10_000, tier)]
    if sort == "last-contact":
        days = measured.days_since[rows]
        return [np.where(days < 0, np.iinfo(np.int64).max, days)]
    return [-measured.goodwill[rows]]


def find_people(net: Network, measured: Measured | None, f: PeopleFilter) -> PeoplePage:
    """One page of people matching ``f``, with their standings where the measures know them."""
    ids = matching_ids(net, measured, f)
    total = len(ids)
    offset = (f.page - 1) * f.per_page
    page_ids = [int(i) for i in ids[offset:offset + f.per_page]]
    with net.session(write=False) as s:
        people = load_people(s, page_ids)
    pages = max(1, -(-total // f.per_page))
    return PeoplePage(
        rows=[(p, measured.standing(p.id) if measured else None) for p in people],
        total=total, page=f.page, pages=pages, per_page=f.per_page,
    )


def every_match(net: Network, measured: Measured | None, f: PeopleFilter,
                batch: int = 500) -> Iterator[tuple[PersonInfo, PersonStanding | None]]:
    """Every person matching ``f`` (all pages, in the page's order), read ``batch`` at a
    time: what a download of the list holds."""
    ids = [int(i) for i in matching_ids(net, measured, f)]
    for start in range(0, len(ids), batch):
        with net.session(write=False) as s:
            people = load_people(s, ids[start:start + batch])
        for p in people:
            yield p, measured.standing(p.id) if measured else None


def matching_ids(net: Network, measured: Measured | None, f: PeopleFilter) -> np.ndarray:
    """The ids of everyone matching ``f``, in the order asked for (``f.page`` ignored)."""
    from netfolio.core.fields import resolve_field

    slug = None
    if f.field:
        with net.session(write=False) as s:
            slug = resolve_field(db_session=s, text=f.field).slug
    index = search_index(net, measured)
    if f.ranked:
        ids = ranked_ids(net, measured, f, slug)
        at = np.searchsorted(index.ids, ids)
        ok = at < len(index.ids)
        ok[ok] = index.ids[at[ok]] == ids[ok]  # anyone added since the index was loaded waits
        ids, at = ids[ok], at[ok]
        by_name = index.name_rank[at]
        primary = np.arange(len(ids)) if f.sort == "relevance" else by_name
    else:
        rows = index.find(field=slug, tag=f.tag)
        ids = index.ids[rows]
        primary = by_name = index.name_rank[rows]
    if measured is not None and f.uses_measures:
        mrows, known = _lookup(measured, ids)
        keep = known.copy() if (f.tier or f.overdue or f.dormant) else np.ones(len(ids), bool)
        if f.tier:
            keep &= measured.tier[mrows] == (0 if f.tier == "outer" else int(f.tier))
        if f.overdue:
            keep &= measured.overdue[mrows]
        if f.dormant:
            keep &= measured.dormant[mrows]
        ids, mrows, known, primary = ids[keep], mrows[keep], known[keep], primary[keep]
        keys = [primary]
        if f.sort not in ("name", "relevance"):
            keys += [np.where(known, k, np.inf)
                     for k in _measure_keys(measured, mrows, str(f.sort))]
        order = np.lexsort(keys)
    else:
        order = np.argsort(primary, kind="stable")
    found: np.ndarray = ids[order]
    return found


def ranked_ids(net: Network, measured: Measured | None, f: PeopleFilter,
               field: str | None) -> np.ndarray:
    """The ids of the people matching ``f``'s text, organisation, field and tag, best first,
    as ``netfolio search`` ranks them (:func:`netfolio.core.people.search_people_ids`)."""
    from netfolio.core.people import PeopleQuery, search_people_ids

    def make() -> np.ndarray:
        with net.session(write=False) as s:
            found = search_people_ids(db_session=s, query=PeopleQuery(
                text=f.q, organisation=f.organisation, field=field, tag=f.tag))
        return np.asarray(found, dtype=np.int64)

    if measured is None:
        return make()
    found: np.ndarray = measured.recent("searches", (f.q, f.organisation, field, f.tag), make,
                                        keep=KEEP_SEARCHES)
    return found


def load_people(s: object, ids: list[int]) -> list[PersonInfo]:
    """Full records of ``ids``, in that order (ids no longer in the ledger are left out)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from netfolio.core.models import Person
    from netfolio.core.people import person_details
    from netfolio.network import PersonInfo

    assert isinstance(s, Session)
    if not ids:
        return []
    found = s.execute(
        select(Person).where(Person.id.in_(ids)).options(*person_details())
    ).scalars()
    by_id = {p.id: PersonInfo.of(p) for p in found}
    return [by_id[i] for i in ids if i in by_id]
