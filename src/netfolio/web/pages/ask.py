"""Ask mode: who is best placed to help with a need, and the warm paths to strangers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.core.enums import TIERS
from netfolio.errors import ValidationError
from netfolio.web.api.models import MAX_ID, Id
from netfolio.web.deps import PAGE_WAIT, WebContext, get_ctx, redirect, render
from netfolio.web.people_query import field_choices
from netfolio.web.practice_view import ask_report

router = APIRouter()


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


@router.get("/ask", response_class=HTMLResponse, name="ask")
def ask(
    request: Request,
    need: str = Query("", max_length=500),
    company: str | None = Query(None, max_length=300),
    field: str | None = Query(None, max_length=120),
    title: str | None = Query(None, max_length=300),
    city: str | None = Query(None, max_length=300),
    tier: str | None = Query(None, max_length=5),
    offset: int = Query(0, ge=0, le=100_000),
    limit: int = Query(10, ge=1, le=100),
    ctx: WebContext = Depends(get_ctx),
) -> HTMLResponse:
    values: dict[str, Any] = {"need": need.strip(), "company": _clean(company),
                              "field": _clean(field), "title": _clean(title),
                              "city": _clean(city)}
    closest = int(tier) if tier and tier.isdigit() and int(tier) in TIERS else None
    result, error = None, None
    if any(values.values()):
        try:
            # the server's cached snapshot, measures and facts (each answer kept with them)
            result = ask_report(ctx, values["need"] or "", company=values["company"],
                                field=values["field"], title=values["title"],
                                city=values["city"], tier=closest, offset=offset,
                                limit=limit)
        except ValidationError as exc:
            error = str(exc)
            if "say what you need" in error:  # the CLI's wording names its options
                error = ("Say what you need in a few words (like “stripe payments”), or give "
                         "a company, field, title or city.")
    context: dict[str, Any] = {
        "values": values, "result": result, "error": error, "offset": offset, "limit": limit,
        "tier": closest, "tiers": TIERS,
        "fields": field_choices(ctx.net, ctx.cache.get(wait=PAGE_WAIT)),
    }
    return render(request, "ask.html", context, status_code=422 if error else 200)


@router.post("/asks", name="ask_record")
def record(request: Request, person_id: int = Form(..., ge=1, le=MAX_ID),
           what: str = Form(..., max_length=500), channel: str = Form("message"),
           ctx: WebContext = Depends(get_ctx)) -> Response:
    info = ctx.net.ask_record(person_id, what, channel=channel)
    ctx.wrote()
    return redirect(f"/people/{person_id}#asks",
                    f"Recorded your ask of {info.person[1]}: {info.what}.", request)


@router.post("/asks/{ask_id}/resolve", name="ask_resolve")
def resolve(request: Request, ask_id: Id, status: str = Form(...),
            back: int = Form(0, ge=0, le=MAX_ID), ctx: WebContext = Depends(get_ctx)) -> Response:
    info = ctx.net.ask_resolve(ask_id, status)
    ctx.wrote()
    target = f"/people/{back or info.person[0]}#asks"
    return redirect(target, f"The ask “{info.what}” is {info.status}.", request)
