"""Finding people for the People page and ``GET /api/v1/people``, fast at 100,000.

Text, organisation, field and tag filters run in SQL. Sorting by name and paginating run in
SQL too when no measure is involved; sorting by strength, tier, last contact or goodwill and
the tier / overdue / dormant filters use the cached measures (:mod:`netfolio.web.cache`) as
numpy arrays. Only the visible page of people is loaded as full records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from netfolio.errors import ValidationError

if TYPE_CHECKING:
    from netfolio.network import Network, PersonInfo
    from netfolio.reports import PersonStanding
    from netfolio.web.cache import Measured

SORTS = ("name", "strength", "tier", "last-contact", "goodwill")
PER_PAGE = 50


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
    sort: str = "name"
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        for name in ("q", "field", "tier", "tag", "organisation"):
            value = getattr(self, name)
            setattr(self, name, (value.strip() or None) if isinstance(value, str) else None)
        if self.sort not in SORTS:
            raise ValidationError(f"sort by one of: {', '.join(SORTS)}")
        if self.tier is not None and self.tier != "outer" and not (
            self.tier.isdigit() and int(self.tier) in (5, 15, 50, 150, 500, 1500)
        ):
            raise ValidationError("tier is one of 5, 15, 50, 150, 500, 1500 or outer")
        self.page = max(1, self.page)
        self.per_page = min(max(1, self.per_page), 500)

    @property
    def uses_measures(self) -> bool:
        return self.sort != "name" or bool(self.tier) or self.overdue or self.dormant

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for links that keep them)."""
        out = {k: v for k, v in (("q", self.q), ("field", self.field), ("tier", self.tier),
                                 ("tag", self.tag), ("organisation", self.organisation))
               if v}
        if self.overdue:
            out["overdue"] = "1"
        if self.dormant:
            out["dormant"] = "1"
        if self.sort != "name":
            out["sort"] = self.sort
        return out


@dataclass
class PeoplePage:
    rows: list[tuple[PersonInfo, PersonStanding | None]]
    total: int
    page: int
    pages: int
    per_page: int


def _name_rank(measured: Measured) -> np.ndarray:
    rank = measured.extras.get("name_rank")
    if rank is None:
        names = measured.snapshot.name
        order = sorted(range(len(names)), key=lambda i: (names[i].casefold(), i))
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(names))
        measured.extras["name_rank"] = rank
    return rank


def _ordered(measured: Measured, rows: np.ndarray, sort: str) -> np.ndarray:
    ids = measured.snapshot.person_id[rows]
    if sort == "strength":
        keys: tuple[np.ndarray, ...] = (ids, -measured.strength[rows])
    elif sort == "tier":
        tier = measured.tier[rows]
        keys = (ids, -measured.strength[rows], np.where(tier == 0, 10_000, tier))
    elif sort == "last-contact":
        days = measured.days_since[rows]
        keys = (ids, np.where(days < 0, np.iinfo(np.int64).max, days))
    elif sort == "goodwill":
        keys = (ids, -measured.goodwill[rows])
    else:
        keys = (_name_rank(measured)[rows],)
    return rows[np.lexsort(keys)]


def find_people(net: Network, measured: Measured | None, f: PeopleFilter) -> PeoplePage:
    """One page of people matching ``f``, with their standings where the measures know them."""
    from sqlalchemy import func, select

    from netfolio.core.fields import resolve_field
    from netfolio.core.models import Person
    from netfolio.core.people import PeopleQuery, people_statement

    offset = (f.page - 1) * f.per_page
    with net.session() as s:
        slug = resolve_field(db_session=s, text=f.field).slug if f.field else None
        query = PeopleQuery(text=f.q, organisation=f.organisation, field=slug, tag=f.tag)
        ids_stmt = people_statement(query).with_only_columns(Person.id)
        if not f.uses_measures or measured is None:
            total = s.execute(select(func.count()).select_from(ids_stmt.subquery())).scalar_one()
            ids = list(s.execute(
                ids_stmt.order_by(Person.name_key, Person.id).limit(f.per_page).offset(offset)
            ).scalars())
        else:
            if f.q or f.organisation or slug or f.tag:
                rows = measured.rows(s.execute(ids_stmt).scalars().all())
            else:
                rows = np.arange(measured.snapshot.n_people)
            if f.tier:
                rows = rows[measured.tier[rows] == (0 if f.tier == "outer" else int(f.tier))]
            if f.overdue:
                rows = rows[measured.overdue[rows]]
            if f.dormant:
                rows = rows[measured.dormant[rows]]
            rows = _ordered(measured, rows, f.sort)
            total = len(rows)
            ids = [int(i) for i in measured.snapshot.person_id[rows[offset:offset + f.per_page]]]
        people = load_people(s, ids)
    pages = max(1, -(-total // f.per_page))
    return PeoplePage(
        rows=[(p, measured.standing(p.id) if measured else None) for p in people],
        total=total, page=f.page, pages=pages, per_page=f.per_page,
    )


def load_people(s: object, ids: list[int]) -> list[PersonInfo]:
    """Full records of ``ids``, in that order (ids no longer in the ledger are left out)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session, selectinload

    from netfolio.core.models import Person
    from netfolio.network import PersonInfo

    assert isinstance(s, Session)
    if not ids:
        return []
    found = s.execute(
        select(Person).where(Person.id.in_(ids)).options(
            selectinload(Person.emails), selectinload(Person.phones),
            selectinload(Person.links), selectinload(Person.fields), selectinload(Person.tags))
    ).scalars()
    by_id = {p.id: PersonInfo.of(p) for p in found}
    return [by_id[i] for i in ids if i in by_id]
