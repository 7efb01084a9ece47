"""The People page (search, filters, sorting, pages) and the form that adds a person."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from netfolio.errors import NetfolioError, NotFoundError
from netfolio.web.api.models import Id
from netfolio.web.deps import PAGE_WAIT, WebContext, get_ctx, redirect, render
from netfolio.web.forms import PersonForm, person_form, person_values
from netfolio.web.people_query import (
    SORTS,
    PeopleFilter,
    every_match,
    field_choices,
    find_people,
)

router = APIRouter()


def people_filter(
    q: str | None = None,
    field: str | None = None,
    tier: str | None = None,
    tag: str | None = None,
    organisation: str | None = None,
    overdue: bool = False,
    dormant: bool = False,
    sort: str | None = None,
) -> PeopleFilter:
    """The People page's filters from the query string (the page and its downloads)."""
    return PeopleFilter(q=q, field=field, tier=tier, tag=tag, organisation=organisation,
                        overdue=overdue, dormant=dormant, sort=sort)


@router.get("/people", response_class=HTMLResponse, name="people")
def people(
    request: Request,
    chosen: PeopleFilter = Depends(people_filter),
    page: int = Query(1, ge=1, le=1_000_000),
    ctx: WebContext = Depends(get_ctx),
) -> HTMLResponse:
    f = replace(chosen, page=page)
    measured = ctx.cache.get(wait=PAGE_WAIT)
    result = find_people(ctx.net, measured, f)
    context: dict[str, Any] = {
        "f": f,
        "base": f.as_query(),
        "result": result,
        "sorts": SORTS,
        "fields": field_choices(ctx.net, measured),
        "stale": not ctx.cache.is_fresh(measured),
        "names": measured.field_names,
    }
    return render(request, "people.html", context)


@router.get("/people.{kind}", name="people_download")
def download(
    request: Request,
    kind: Literal["csv", "json"],
    f: PeopleFilter = Depends(people_filter),
    ctx: WebContext = Depends(get_ctx),
) -> StreamingResponse:
    """The People page's list, every page of it, as a CSV or JSON file."""
    from netfolio.web.downloads import people_csv, people_json

    measured = ctx.cache.get(wait=PAGE_WAIT)
    rows = every_match(ctx.net, measured, f)
    name = "people" + "".join(f"-{v}" for v in f.as_query().values() if v != "1")
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", name)[:80].strip("-") or "people"
    if kind == "csv":
        body, media = people_csv(rows, measured.field_names), "text/csv; charset=utf-8"
    else:
        body, media = people_json(rows), "application/json"
    return StreamingResponse(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}.{kind}"'})


@router.get("/people/new", response_class=HTMLResponse, name="person_new")
def new_person(request: Request, ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    return render(request, "person_form.html", {
        "person": None, "fields": ctx.net.fields(), "action": "/people",
        "v": person_values(None),
    })


@router.post("/people", name="person_create")
def create_person(
    request: Request,
    form: PersonForm = Depends(person_form),
    ctx: WebContext = Depends(get_ctx),
) -> Response:
    try:
        info = ctx.net.add(form.name, **form.create_facts())
    except NetfolioError as exc:
        if isinstance(exc, NotFoundError):
            raise
        return render(request, "person_form.html", {  # the form again, the input kept
            "person": None, "fields": ctx.net.fields(), "action": "/people",
            "v": form.values(), "error": str(exc),
        }, status_code=422)
    ctx.wrote()
    return redirect(f"/people/{info.id}", f"Added {info.display_name}.", request)


@router.post("/people/{person_id}/delete", name="person_delete")
def delete_person(request: Request, person_id: Id, confirm: str = Form(""),
                  ctx: WebContext = Depends(get_ctx)) -> Response:
    info = ctx.net.delete(person_id)
    ctx.wrote()
    return redirect("/people", f"Deleted {info.display_name} and their ledger.", request)
