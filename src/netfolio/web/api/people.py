"""``/api/v1/people``: find, read, add, change and delete people; their ledger and "why"."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response

from netfolio.network import PersonInfo
from netfolio.reports import Why
from netfolio.web.api.models import (
    ERRORS,
    Csrf,
    Id,
    PeoplePage,
    Person,
    PersonIn,
    PersonLedger,
    PersonPatch,
    PersonSummary,
    Sort,
    TierText,
)
from netfolio.web.deps import WebContext, get_ctx, get_session
from netfolio.web.people_query import PeopleFilter, find_people

router = APIRouter(tags=["people"])


def _text() -> Any:
    return Query(None, max_length=300, pattern=r"^[^\x00]*$")


def person_view(ctx: WebContext, info: PersonInfo, *, fresh: bool = False) -> Person:
    """A person with their standing from the cached measures (``fresh``: wait for them)."""
    standing = ctx.cache.get(wait=None if fresh else 0).standing(info.id)
    return Person(**vars(info), standing=standing)


_SUMMARY = tuple(f.name for f in fields(PersonSummary) if f.name != "standing")


@router.get("/csrf", response_model=Csrf, tags=["session"])
def csrf(request: Request) -> dict[str, Any]:
    """This session's CSRF token (its cookie comes with it): send it as ``X-CSRF-Token``."""
    return {"token": get_session(request).csrf, "header": "X-CSRF-Token"}


@router.get("/people", response_model=PeoplePage)
def list_people(
    q: str | None = _text(),
    field: str | None = _text(),
    tier: TierText | None = None,
    tag: str | None = _text(),
    organisation: str | None = _text(),
    overdue: bool = False,
    dormant: bool = False,
    sort: Sort = "name",
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(50, ge=1, le=500),
    ctx: WebContext = Depends(get_ctx),
) -> PeoplePage:
    """People matching every filter (``q`` searches names, organisations, titles, notes,
    locations, emails and tags), sorted and paginated, each with their standing."""
    f = PeopleFilter(q=q, field=field, tier=tier, tag=tag, organisation=organisation,
                     overdue=overdue, dormant=dormant, sort=sort, page=page, per_page=per_page)
    result = find_people(ctx.net, ctx.cache.get(wait=0), f)
    people = [PersonSummary(**{k: getattr(info, k) for k in _SUMMARY}, standing=standing)
              for info, standing in result.rows]
    return PeoplePage(total=result.total, page=result.page, pages=result.pages,
                      per_page=result.per_page, people=people)


@router.post("/people", response_model=Person, status_code=201, responses=ERRORS)
def create_person(body: PersonIn, ctx: WebContext = Depends(get_ctx)) -> Person:
    facts = body.model_dump(exclude={"name"})
    info = ctx.net.add(body.name, source="web", **facts)
    ctx.wrote()
    return person_view(ctx, info)


@router.get("/people/{person_id}", response_model=Person, responses=ERRORS)
def get_person(person_id: Id, ctx: WebContext = Depends(get_ctx)) -> Person:
    return person_view(ctx, ctx.net.get(person_id))


@router.patch("/people/{person_id}", response_model=Person, responses=ERRORS)
def edit_person(person_id: Id, body: PersonPatch,
                ctx: WebContext = Depends(get_ctx)) -> Person:
    changes = body.model_dump(exclude_unset=True)
    if "name" in changes:
        changes["display_name"] = changes.pop("name")
    info = ctx.net.edit(person_id, source="web", **changes)
    ctx.wrote()
    return person_view(ctx, info)


@router.delete("/people/{person_id}", status_code=204, responses=ERRORS)
def delete_person(person_id: Id, ctx: WebContext = Depends(get_ctx)) -> Response:
    ctx.net.delete(person_id)
    ctx.wrote()
    return Response(status_code=204)


@router.get("/people/{person_id}/ledger", response_model=PersonLedger, responses=ERRORS)
def ledger(person_id: Id, limit: int = Query(50, ge=1, le=1000),
           ctx: WebContext = Depends(get_ctx)) -> PersonLedger:
    """A person with their interactions (newest first), asks and who they know."""
    found = ctx.net.ledger(person_id, limit=limit)
    return PersonLedger(**{**vars(found), "person": person_view(ctx, found.person)})


@router.get("/people/{person_id}/why", response_model=Why, responses=ERRORS)
def why(person_id: Id, ctx: WebContext = Depends(get_ctx)) -> Why:
    """The parts of a person's tie strength, their tier and cadence, their goodwill."""
    ctx.net.get(person_id)  # 404 for an unknown person
    result = ctx.cache.get().why(person_id)
    if result is None:  # added a moment ago, after the measures were computed
        result = ctx.net.why(person_id)
    return result
