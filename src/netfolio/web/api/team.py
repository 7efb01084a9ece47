"""``/api/v1/team/...`` (team mode only): team ask, introduction requests, sharing, and who
you are. Each call acts for the logged-in member or the owner of the bearer token."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from netfolio.core.team import RequestInfo, ShareRules, TeamAnswer
from netfolio.core.users import UserInfo
from netfolio.errors import ValidationError
from netfolio.web.api.models import Id, Problem
from netfolio.web.api.team_models import (
    DirectoryChange,
    IntroRequestIn,
    OutcomeIn,
    ShareIn,
    SharingChange,
    Status,
)
from netfolio.web.deps import WebContext, member_ctx

router = APIRouter(prefix="/team", tags=["team"])

TEAM_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Not logged in, or the token is unknown or revoked"},
    404: {"model": Problem, "description": "Not a team database, or no such request"},
}


def _text(length: int = 300) -> Any:
    return Query(None, max_length=length, pattern=r"^[^\x00]*$")


@router.get("/me", response_model=UserInfo, responses=TEAM_ERRORS)
def me(ctx: WebContext = Depends(member_ctx)) -> UserInfo:
    """The member this call acts for."""
    return ctx.net.team.me()


@router.get("/ask", response_model=TeamAnswer, responses=TEAM_ERRORS)
def ask(organisation: str | None = _text(), field: str | None = _text(120),
        title: str | None = _text(), ctx: WebContext = Depends(member_ctx)) -> TeamAnswer:
    """Who on the team knows someone at an organisation, in a field or with a title, ranked
    by their tie strength, with the warm paths through them (give at least one)."""
    return ctx.net.team.ask(organisation=_clean(organisation), field=_clean(field),
                            title=_clean(title))


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


@router.get("/requests", response_model=list[RequestInfo], responses=TEAM_ERRORS)
def requests(status: Status | None = None,
             ctx: WebContext = Depends(member_ctx)) -> list[RequestInfo]:
    """The introduction requests you made or were asked, newest first."""
    return ctx.net.team.requests(status)


@router.post("/requests", response_model=RequestInfo, status_code=201,
             responses=TEAM_ERRORS)
def request_intro(body: IntroRequestIn,
                  ctx: WebContext = Depends(member_ctx)) -> RequestInfo:
    """Ask the teammate behind a path's ``entry_id`` to introduce you."""
    return ctx.net.team.request_intro(body.entry_id, body.message)


@router.post("/requests/{request_id}/outcome", response_model=RequestInfo,
             responses=TEAM_ERRORS)
def outcome(request_id: Id, body: OutcomeIn,
            ctx: WebContext = Depends(member_ctx)) -> RequestInfo:
    """Note what came of an accepted introduction."""
    return ctx.net.team.outcome(request_id, body.outcome)


@router.post("/requests/{request_id}/{decision}", response_model=RequestInfo,
             responses=TEAM_ERRORS)
def decide(request_id: Id, decision: Literal["accept", "decline", "withdraw"],
           ctx: WebContext = Depends(member_ctx)) -> RequestInfo:
    """``accept`` or ``decline`` a request asked of you (accepting logs a give in your
    ledger), or ``withdraw`` one you made while it is pending."""
    if decision == "accept":
        info = ctx.net.team.accept(request_id)
        ctx.wrote()
    elif decision == "decline":
        info = ctx.net.team.decline(request_id)
    else:
        info = ctx.net.team.withdraw(request_id)
    return info


@router.get("/sharing", response_model=ShareRules, responses=TEAM_ERRORS)
def sharing(ctx: WebContext = Depends(member_ctx)) -> ShareRules:
    """Your sharing rules."""
    return ctx.net.team.sharing()


@router.post("/sharing", response_model=SharingChange, responses=TEAM_ERRORS)
def share(body: ShareIn, ctx: WebContext = Depends(member_ctx)) -> SharingChange:
    """Share a person or a field with the team (or keep a person out, or forget a rule);
    your directory entries are brought up to date at once."""
    if (body.person is None) == (body.field is None):
        raise ValidationError("give a person or a field (one of them)")
    person = None if body.person is None else ctx.net.get(body.person).id
    changed = ctx.net.team.share(person=person, field=body.field, share=body.share)
    return SharingChange(rules=ctx.net.team.sharing(), directory=DirectoryChange(**changed))
