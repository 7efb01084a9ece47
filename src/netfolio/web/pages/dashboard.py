"""The dashboard: value over time, allocation against the target, goodwill, reach, the plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from netfolio.web import charts
from netfolio.web.deps import PAGE_WAIT, WebContext, get_ctx, render
from netfolio.web.practice_view import this_week_plan

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(request: Request, ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    measured = ctx.cache.get(wait=PAGE_WAIT)
    from netfolio.reports import measure_details, plain_summary

    r = measured.report
    me = ctx.net.me()
    contacted = r.connections - r.never_contacted
    context: dict[str, Any] = {
        "r": r,
        "me": me,
        "summary": plain_summary(r),
        "details": measure_details(r),
        "value_chart": charts.line_chart(r.series, label="Network value, month by month"),
        "allocation_chart": charts.allocation_chart(r.allocation),
        "under_target": charts.under_target(r.rebalance),
        "reach_bar": charts.split_bar(
            [("Relationships (two-way contact)", r.relationships, "rel"),
             ("Connections contacted one way", contacted, "conn"),
             ("Connections never contacted", r.never_contacted, "never")],
            label="Relationships and connections",
        ),
        "outreach_bar": charts.split_bar(
            [("Builds you started (catch up, share, give)", r.outreach_12m - r.asks_12m,
              "build"),
             ("Asks", r.asks_12m, "ask")],
            label="Your outreach in the last 12 months: builds and asks",
        ),
        "value_change": None if r.value_a_year_ago is None else r.value - r.value_a_year_ago,
        "plan": this_week_plan(ctx, measured),
        "stale": not ctx.cache.is_fresh(measured),
    }
    return render(request, "dashboard.html", context)


@router.get("/plan", include_in_schema=False)
@router.get("/portfolio", include_in_schema=False)
def to_dashboard(request: Request) -> RedirectResponse:
    """The plan and the portfolio live on the dashboard: the names people guess lead there."""
    part = "plan" if request.url.path == "/plan" else "summary-h"
    return RedirectResponse(f"/#{part}", status_code=307)

