"""The Team page (team mode only): team ask, introduction requests, and what you share.

Everything goes through ``net.team`` acting for the logged-in member, so a teammate's
entries show only what they chose to share (name, organisation, title, field and a
strength bucket), never their notes or interactions.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.errors import ValidationError
from netfolio.web.api.models import MAX_ID, Id
from netfolio.web.deps import WebContext, member_ctx, redirect, render

router = APIRouter()

Decision = Literal["accept", "decline", "withdraw"]
DONE = {"accept": "Accepted", "decline": "Declined", "withdraw": "Withdrew"}


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def team_context(ctx: WebContext, organisation: str | None = None, field: str | None = None,
                 title: str | None = None) -> dict[str, Any]:
    """What the Team page shows: the answer to a team ask, the requests, the sharing."""
    query = {"organisation": _clean(organisation), "field": _clean(field),
             "title": _clean(title)}
    answer, error = None, None
    if any(query.values()):
        try:
            answer = ctx.net.team.ask(organisation=query["organisation"],
                                      field=query["field"], title=query["title"])
        except ValidationError as exc:
            error = str(exc)
    requests = ctx.net.team.requests()
    rules = ctx.net.team.sharing()
    fields = ctx.net.fields()
    return {
        "query": query, "answer": answer, "error": error,
        "incoming": [r for r in requests if r.direction == "incoming"],
        "outgoing": [r for r in requests if r.direction == "outgoing"],
        "rules": rules, "fields": fields, "shared_fields": set(rules.fields),
        "field_names": {f.slug: f.name for f in fields},
    }


@router.get("/team", response_class=HTMLResponse, name="team")
def team(
    request: Request,
    organisation: str | None = Query(None, max_length=300),
    field: str | None = Query(None, max_length=120),
    title: str | None = Query(None, max_length=300),
    ctx: WebContext = Depends(member_ctx),
) -> HTMLResponse:
    return render(request, "team.html", team_context(ctx, organisation, field, title))


@router.post("/team/requests", name="team_request")
def request_intro(request: Request, entry_id: int = Form(..., ge=1, le=MAX_ID),
                  message: str = Form("", max_length=2000),
                  ctx: WebContext = Depends(member_ctx)) -> Response:
    info = ctx.net.team.request_intro(entry_id, message)
    return redirect("/team#outgoing", f"Asked {info.introducer} to introduce you to "
                    f"{info.target_name}.", request)


@router.post("/team/requests/{request_id}/outcome", name="team_outcome")
def outcome(request: Request, request_id: Id, outcome: str = Form(..., max_length=300),
            ctx: WebContext = Depends(member_ctx)) -> Response:
    info = ctx.net.team.outcome(request_id, outcome)
    return redirect("/team#requests", f"Noted what came of introducing {info.target_name}.",
                    request)


@router.post("/team/requests/{request_id}/{decision}", name="team_decide")
def decide(request: Request, request_id: Id, decision: Decision,
           ctx: WebContext = Depends(member_ctx)) -> Response:
    act = {"accept": ctx.net.team.accept, "decline": ctx.net.team.decline,
           "withdraw": ctx.net.team.withdraw}[decision]
    info = act(request_id)
    if decision == "accept":
        ctx.wrote()  # the give is in the introducer's ledger
        message = (f"Accepted: introduce {info.requester} to {info.target_name} "
                   "(logged as a give).")
    else:
        message = f"{DONE[decision]} the request about {info.target_name}."
    return redirect("/team#requests", message, request)


@router.post("/team/sharing/fields", name="team_share_fields")
def share_fields(request: Request, fields: list[str] = Form([]),
                 ctx: WebContext = Depends(member_ctx)) -> Response:
    """Share exactly the fields ticked (each shares its people, but for those kept out)."""
    known = {f.slug for f in ctx.net.fields()}
    wanted = set(fields)
    unknown = wanted - known
    if unknown:
        raise ValidationError(f"no field {sorted(unknown)[0]!r}")
    have = set(ctx.net.team.sharing().fields)
    for slug in sorted(wanted - have):
        ctx.net.team.share(field=slug, share=True)
    for slug in sorted(have - wanted):
        ctx.net.team.share(field=slug, share=None)
    count = len(ctx.net.team.directory())
    return redirect("/team#sharing", f"Saved: you share {count:,} people with the team.",
                    request)


@router.post("/team/sharing/people", name="team_share_person")
def share_person(request: Request, person: str = Form(..., max_length=300),
                 share: Literal["share", "keep"] = Form("share"),
                 ctx: WebContext = Depends(member_ctx)) -> Response:
    info = ctx.net.get(person.strip())
    ctx.net.team.share(person=info.id, share=share == "share")
    verb = "Shared" if share == "share" else "Keeping out"
    return redirect("/team#sharing", f"{verb} {info.display_name}.", request)


@router.post("/team/sharing/people/{person_id}/remove", name="team_unshare_person")
def forget_person(request: Request, person_id: Id,
                  ctx: WebContext = Depends(member_ctx)) -> Response:
    info = ctx.net.get(person_id)
    ctx.net.team.share(person=info.id, share=None)
    return redirect("/team#sharing", f"{info.display_name} follows your field rules again.",
                    request)


@router.post("/people/{person_id}/share", name="person_share")
def share_toggle(request: Request, person_id: Id,
                 share: Literal["share", "keep", "default"] = Form(...),
                 ctx: WebContext = Depends(member_ctx)) -> Response:
    """The person page's "share with team" toggle."""
    info = ctx.net.get(person_id)
    value = {"share": True, "keep": False, "default": None}[share]
    ctx.net.team.share(person=info.id, share=value)
    message = {"share": f"{info.display_name} is shared with the team.",
               "keep": f"{info.display_name} is kept out of the team directory.",
               "default": f"{info.display_name} follows your field rules."}[share]
    return redirect(f"/people/{person_id}#team", message, request)
