"""The network map: people coloured by field and sized by tie strength, with knows edges."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from netfolio.web.deps import PAGE_WAIT, WebContext, get_ctx, render
from netfolio.web.graph import MAX_NODES, build_map, map_svg
from netfolio.web.people_query import field_choices

router = APIRouter()
TOP_CHOICES = (50, 100, 150, 300, 500)


@router.get("/map", response_class=HTMLResponse, name="network_map")
def network_map(
    request: Request,
    top: int = Query(150, ge=1, le=MAX_NODES),
    field: str | None = None,
    organisation: str | None = Query(None, max_length=300),
    ctx: WebContext = Depends(get_ctx),
) -> HTMLResponse:
    measured = ctx.cache.get(wait=PAGE_WAIT)
    field = field or None
    organisation = (organisation or "").strip() or None
    m = build_map(measured, top=top, field=field, organisation=organisation)
    fields = field_choices(ctx.net, measured)
    return render(request, "map.html", {
        "m": m, "svg": map_svg(m), "top": top, "field": field,
        "organisation": organisation or "", "fields": fields, "choices": TOP_CHOICES,
    })
