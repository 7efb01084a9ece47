"""The People page (search, filters, sorting, pages) and the form that adds a person."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.web.api.models import Id
from netfolio.web.deps import WebContext, get_ctx, redirect, render
from netfolio.web.forms import PersonForm, person_form
from netfolio.web.people_query import SORTS, PeopleFilter, field_choices, find_people

router = APIRouter()


@router.get("/people", response_class=HTMLResponse, name="people")
def people(
    request: Request,
    q: str | None = None,
    field: str | None = None,
    tier: str | None = None,
    tag: str | None = None,
    organisation: str | None = None,
    overdue: bool = False,
    dormant: bool = False,
    sort: str = "name",
    page: int = Query(1, ge=1, le=1_000_000),
    ctx: WebContext = Depends(get_ctx),
) -> HTMLResponse:
    f = PeopleFilter(q=q, field=field, tier=tier, tag=tag, organisation=organisation,
                     overdue=overdue, dormant=dormant, sort=sort, page=page)
    measured = ctx.cache.get(wait=0)
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


@router.get("/people/new", response_class=HTMLResponse, name="person_new")
def new_person(request: Request, ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    return render(request, "person_form.html", {
        "person": None, "fields": ctx.net.fields(), "action": "/people",
    })


@router.post("/people", name="person_create")
def create_person(
    request: Request,
    form: PersonForm = Depends(person_form),
    ctx: WebContext = Depends(get_ctx),
) -> Response:
    info = ctx.net.add(form.name, **form.create_facts())
    ctx.wrote()
    return redirect(f"/people/{info.id}", f"Added {info.display_name}.", request)


@router.post("/people/{person_id}/delete", name="person_delete")
def delete_person(request: Request, person_id: Id, confirm: str = Form(""),
                  ctx: WebContext = Depends(get_ctx)) -> Response:
    info = ctx.net.delete(person_id)
    ctx.wrote()
    return redirect("/people", f"Deleted {info.display_name} and their ledger.", request)
