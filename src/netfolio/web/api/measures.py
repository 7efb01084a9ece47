"""``/api/v1/portfolio``, fields and settings: the measures and what shapes them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from netfolio.web.api.models import FieldInfo, Me, Portfolio
from netfolio.web.deps import WebContext, get_ctx

router = APIRouter(tags=["portfolio"])


@router.get("/portfolio", response_model=Portfolio)
def portfolio(ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Allocation by field, diversity, value over time, goodwill, the transactional index,
    connections against relationships and the best dormant ties, as of today."""
    data = ctx.cache.get().report.to_dict()
    data["series"] = [{"date": d, "value": v} for d, v in data["series"]]
    return data


@router.get("/fields", response_model=list[FieldInfo])
def fields(ctx: WebContext = Depends(get_ctx)) -> list[dict[str, Any]]:
    """Every field, how many people are in it, and which are your own."""
    return [f.to_dict() for f in ctx.net.fields()]


@router.get("/me", response_model=Me, tags=["settings"])
def me(ctx: WebContext = Depends(get_ctx)) -> dict[str, Any]:
    """Your settings: name, own emails and fields, weekly budget, cadences."""
    return ctx.net.me().to_dict()
