"""A person's page: timeline, goodwill ledger, the strength breakdown, log, compose, edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.errors import NetfolioError, NotFoundError
from netfolio.web import charts
from netfolio.web.api.models import MAX_ID, Id
from netfolio.web.deps import PAGE_WAIT, WebContext, get_ctx, redirect, render
from netfolio.web.forms import PersonForm, person_form, person_values
from netfolio.web.practice_view import compose_context

router = APIRouter()


def person_context(ctx: WebContext, person_id: int, limit: int | None = 30) -> dict[str, Any]:
    """Everything the person page shows (also used to re-render it with an opener)."""
    ledger = ctx.net.ledger(person_id, limit=limit)
    measured = ctx.cache.get(wait=PAGE_WAIT)
    why = measured.why(person_id)
    row = measured.row(person_id)
    relationship = bool(measured.folio.reach.relationship[row]) if row is not None else False
    return {
        "ledger": ledger,
        "p": ledger.person,
        "why": why,
        "relationship": relationship,
        "strength_bar": charts.strength_bar([(part.part, part.points) for part in why.parts])
        if why else None,
        "compose": None,
        "limit": limit or 0,
        "names": measured.field_names,
        "stale": not ctx.cache.is_fresh(measured),
        "sharing": share_state(ctx, person_id) if ctx.team else None,
    }


def share_state(ctx: WebContext, person_id: int) -> dict[str, Any]:
    """Whether a person is in the member's team directory, and the rule that says so."""
    from netfolio.core.team import shared_person_ids

    rule = next((share for pid, _, share in ctx.net.team.sharing().people
                 if pid == person_id), None)
    with ctx.net.session() as s:
        shared = person_id in shared_person_ids(db_session=s)
    return {"shared": shared, "rule": rule}


def refused(request: Request, ctx: WebContext, person_id: int, form: str,
            exc: NetfolioError, values: dict[str, str]) -> HTMLResponse:
    """The person page again with ``form``'s error beside it and what was typed kept
    (422), instead of a page that only says what was wrong."""
    context = person_context(ctx, person_id)
    context["refused"] = {"form": form, "error": str(exc), "values": values}
    return render(request, "person.html", context, status_code=422)


@router.get("/people/{person_id}", response_class=HTMLResponse, name="person")
def person(request: Request, person_id: Id, all: bool = False,
           ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    return render(request, "person.html",
                  person_context(ctx, person_id, limit=None if all else 30))


@router.post("/people/{person_id}/log", name="person_log")
def log(
    request: Request,
    person_id: Id,
    note: str = Form("", max_length=5000),
    intent: str = Form("catch_up"),
    channel: str = Form("message"),
    when: str = Form("today", max_length=100),
    by: str = Form(""),
    ctx: WebContext = Depends(get_ctx),
) -> Response:
    try:
        row = ctx.net.log([person_id], when=when or None, channel=channel, intent=intent,
                          initiator=by or None, note=note.strip() or None, source="web")
    except NetfolioError as exc:
        if isinstance(exc, NotFoundError):
            ctx.net.get(person_id)  # an unknown person is a 404; anything else is the input
        return refused(request, ctx, person_id, "log", exc, {
            "note": note, "intent": intent, "channel": channel, "when": when, "by": by})
    ctx.wrote()
    return redirect(f"/people/{person_id}#timeline",
                    f"Logged: {intent.replace('_', ' ')} by {channel.replace('_', ' ')}, "
                    f"{row.when[:10]}.", request)


@router.post("/interactions/{interaction_id}/delete", name="interaction_delete")
def unlog(request: Request, interaction_id: Id, back: int = Form(0, ge=0, le=MAX_ID),
          ctx: WebContext = Depends(get_ctx)) -> Response:
    row = ctx.net.unlog(interaction_id)
    ctx.wrote()
    target = f"/people/{back}#timeline" if back else "/"
    return redirect(target, f"Removed the interaction of {row.when[:10]}.", request)


@router.get("/people/{person_id}/edit", response_class=HTMLResponse, name="person_edit")
def edit_form(request: Request, person_id: Id,
              ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    person = ctx.net.get(person_id)
    return render(request, "person_form.html", {
        "person": person, "fields": ctx.net.fields(),
        "action": f"/people/{person_id}/edit", "v": person_values(person),
    })


@router.post("/people/{person_id}/edit", name="person_save")
def edit(request: Request, person_id: Id, form: PersonForm = Depends(person_form),
         ctx: WebContext = Depends(get_ctx)) -> Response:
    old = ctx.net.get(person_id)
    try:
        info = ctx.net.edit(person_id, source="web", **form.changes(old))
    except NetfolioError as exc:
        if isinstance(exc, NotFoundError):
            raise
        return render(request, "person_form.html", {  # the form again, the input kept
            "person": old, "fields": ctx.net.fields(),
            "action": f"/people/{person_id}/edit", "v": form.values(), "error": str(exc),
        }, status_code=422)
    ctx.wrote()
    return redirect(f"/people/{person_id}", f"Saved {info.display_name}.", request)


@router.post("/people/{person_id}/knows", name="person_knows")
def knows(request: Request, person_id: Id, other: str = Form(..., max_length=300),
          ctx: WebContext = Depends(get_ctx)) -> Response:
    a = ctx.net.get(person_id)
    try:
        b = ctx.net.get(other.strip())
        ctx.net.knows(a.id, b.id)
    except NetfolioError as exc:
        return refused(request, ctx, person_id, "knows", exc, {"other": other})
    ctx.wrote()
    return redirect(f"/people/{person_id}#knows",
                    f"{a.display_name} knows {b.display_name}.", request)


@router.post("/people/{person_id}/compose", response_class=HTMLResponse, name="person_compose")
def compose(request: Request, person_id: Id, purpose: str = Form("catch_up", max_length=40),
            draft: str = Form("", max_length=10000),
            ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    context = person_context(ctx, person_id)
    context["compose"] = compose_context(ctx, person_id, purpose, draft)
    return render(request, "person.html", context)
