"""``/api/v1/team/...`` (team mode only): team ask, introduction requests, sharing, and who
you are. Each call acts for the logged-in member or the owner of the bearer token."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query

from netfolio.errors import ValidationError
from netfolio.web.api.models import Id, Problem
from netfolio.web.api.team_models import (
    IntroRequest,
    IntroRequestIn,
    Member,
    OutcomeIn,
    ShareIn,
    Sharing,
    SharingChange,
    Status,
    TeamAnswer,
)
from netfolio.web.deps import WebContext, member_ctx

router = APIRouter(prefix="/team", tags=["team"])

TEAM_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Not logged in, or the token is unknown or revoked"},
    404: {"model": Problem, "description": "Not a team database, or no such request"},
}


def _text(length: int = 300) -> Any:
    return Query(None, max_length=length, pattern=r"^[^\x00]*$")


@router.get("/me", response_model=Member, responses=TEAM_ERRORS)
def me(ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """The member this call acts for."""
    return ctx.net.team.me().to_dict()


@router.get("/ask", response_model=TeamAnswer, responses=TEAM_ERRORS)
def ask(organisation: str | None = _text(), field: str | None = _text(120),
        title: str | None = _text(), ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """Who on the team knows someone at an organisation, in a field or with a title, ranked
    by their tie strength, with the warm paths through them (give at least one)."""
    return ctx.net.team.ask(organisation=_clean(organisation), field=_clean(field),
                            title=_clean(title)).to_dict()


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


@router.get("/requests", response_model=list[IntroRequest], responses=TEAM_ERRORS)
def requests(status: Status | None = None,
             ctx: WebContext = Depends(member_ctx)) -> list[dict[str, Any]]:
    """The introduction requests you made or were asked, newest first."""
    return [r.to_dict() for r in ctx.net.team.requests(status)]


@router.post("/requests", response_model=IntroRequest, status_code=201,
             responses=TEAM_ERRORS)
def request_intro(body: IntroRequestIn,
                  ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """Ask the teammate behind a path's ``entry_id`` to introduce you."""
    return ctx.net.team.request_intro(body.entry_id, body.message).to_dict()


@router.post("/requests/{request_id}/outcome", response_model=IntroRequest,
             responses=TEAM_ERRORS)
def outcome(request_id: Id, body: OutcomeIn,
            ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """Note what came of an accepted introduction."""
    return ctx.net.team.outcome(request_id, body.outcome).to_dict()


@router.post("/requests/{request_id}/{decision}", response_model=IntroRequest,
             responses=TEAM_ERRORS)
def decide(request_id: Id, decision: Literal["accept", "decline", "withdraw"],
           ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """``accept`` or ``decline`` a request asked of you (accepting logs a give in your
    ledger), or ``withdraw`` one you made while it is pending."""
    if decision == "accept":
        info = ctx.net.team.accept(request_id)
        ctx.wrote()
    elif decision == "decline":
        info = ctx.net.team.decline(request_id)
    else:
        info = ctx.net.team.withdraw(request_id)
    return info.to_dict()


@router.get("/sharing", response_model=Sharing, responses=TEAM_ERRORS)
def sharing(ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """Your sharing rules."""
    return ctx.net.team.sharing().to_dict()


@router.post("/sharing", response_model=SharingChange, responses=TEAM_ERRORS)
def share(body: ShareIn, ctx: WebContext = Depends(member_ctx)) -> dict[str, Any]:
    """Share a person or a field with the team (or keep a person out, or forget a rule);
    your directory entries are brought up to date at once."""
    if (body.person is None) == (body.field is None):
        raise ValidationError("give a person or a field (one of them)")
    person = None if body.person is None else ctx.net.get(body.person).id
    changed = ctx.net.team.share(person=person, field=body.field, share=body.share)
    return {"rules": ctx.net.team.sharing().to_dict(), "directory": changed}
