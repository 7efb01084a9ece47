"""``/api/v1/portfolio``, fields and settings: the measures and what shapes them."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from netfolio.core.settings import Me
from netfolio.network import FieldInfo
from netfolio.reports import PortfolioReport
from netfolio.web.deps import WebContext, get_ctx

router = APIRouter(tags=["portfolio"])


@router.get("/portfolio", response_model=PortfolioReport)
def portfolio(ctx: WebContext = Depends(get_ctx)) -> PortfolioReport:
    """Allocation by field, diversity, value over time, goodwill, the transactional index,
    connections against relationships and the best dormant ties, as of today."""
    return ctx.cache.get().report


@router.get("/fields", response_model=list[FieldInfo])
def fields(ctx: WebContext = Depends(get_ctx)) -> list[FieldInfo]:
    """Every field, how many people are in it, and which are your own."""
    return ctx.net.fields()


@router.get("/me", response_model=Me, tags=["settings"])
def me(ctx: WebContext = Depends(get_ctx)) -> Me:
    """Your settings: name, own emails and fields, weekly budget, cadences."""
    return ctx.net.me()
