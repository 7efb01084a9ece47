"""Settings: who you are, your own fields, the weekly budget, cadences, your own fields."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.errors import ValidationError
from netfolio.web.deps import PAGE_WAIT, WebContext, get_ctx, redirect, render
from netfolio.web.forms import optional_int, split_list

router = APIRouter()


@router.get("/settings", response_class=HTMLResponse, name="settings")
def settings(request: Request, ctx: WebContext = Depends(get_ctx)) -> HTMLResponse:
    from netfolio.core.enums import TIERS
    from netfolio.measures import Params

    me = ctx.net.me()
    params = ctx.net.params()
    defaults = Params().cadence_days
    from netfolio.reports import target_lines

    measured = ctx.cache.get(wait=PAGE_WAIT)
    targets = target_lines(measured.report, me.targets)
    return render(request, "settings.html", {
        "me": me,
        "fields": ctx.net.fields(),
        "cadences": [(t, params.cadence_days[i], defaults[i], str(t) in me.cadence_days)
                     for i, t in enumerate(TIERS)],
        "targets": targets,
        "sources": ctx.net.sync_sources(),
    })


@router.post("/settings/me", name="settings_me")
def save_me(
    request: Request,
    name: str = Form("", max_length=300),
    emails: str = Form("", max_length=5000),
    own_fields: list[str] = Form([]),
    weekly_budget: str = Form("", max_length=5),
    region: str = Form("", max_length=5),
    ctx: WebContext = Depends(get_ctx),
) -> Response:
    from netfolio.core.settings import update_me

    budget = optional_int(weekly_budget, "the weekly budget")
    ctx.net.init(name=name.strip() or None, emails=split_list(emails), fields=own_fields,
                 weekly_budget=budget, region=region)
    if not own_fields:  # init keeps the old fields when given none: clearing is explicit here
        with ctx.net.session() as s:
            update_me(db_session=s, own_fields=[])
    ctx.wrote()
    return redirect("/settings", "Saved who you are.", request)


@router.post("/settings/cadence", name="settings_cadence")
async def save_cadence(request: Request, ctx: WebContext = Depends(get_ctx)) -> Response:
    """Contact cadence per tier in days; an empty box goes back to the default."""
    from starlette.concurrency import run_in_threadpool

    from netfolio.core.enums import TIERS
    from netfolio.core.settings import update_me

    form = await request.form()
    cadence: dict[str, int] = {}
    for tier in TIERS:
        value = form.get(f"tier_{tier}")
        days = optional_int(value if isinstance(value, str) else None, f"the {tier} cadence")
        if days is not None:
            if not 1 <= days <= 3650:
                raise ValidationError("a cadence is between 1 and 3,650 days")
            cadence[str(tier)] = days

    def save() -> None:
        with ctx.net.session() as s:
            update_me(db_session=s, cadence_days=cadence)

    await run_in_threadpool(save)
    ctx.wrote()
    return redirect("/settings#cadence", "Saved the cadences.", request)


@router.post("/settings/targets", name="settings_targets")
async def save_targets(request: Request, ctx: WebContext = Depends(get_ctx)) -> Response:
    """Each field's target in percent; an empty box leaves the field its default share.
    The reset button forgets every target you set."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    targets: dict[str, float] = {}
    if form.get("reset") is None:
        for key, value in form.multi_items():
            if not key.startswith("target_") or not isinstance(value, str) or not value.strip():
                continue
            try:
                percent = float(value.strip().rstrip("%"))
            except ValueError:
                raise ValidationError(f"{value!r} is not a percentage (0 to 100)") from None
            if not 0 <= percent <= 100:
                raise ValidationError("a target is a percentage from 0 to 100")
            targets[key.removeprefix("target_")] = percent / 100

    def save() -> None:
        ctx.net.set_targets(targets, replace=True)

    await run_in_threadpool(save)
    ctx.wrote()
    message = "Saved your targets." if targets else "Targets back to the defaults."
    return redirect("/settings#targets", message, request)


@router.post("/settings/fields", name="settings_field")
def add_field(request: Request, name: str = Form(..., max_length=120),
              description: str = Form("", max_length=1000),
              ctx: WebContext = Depends(get_ctx)) -> Response:
    info = ctx.net.add_field(name.strip(), description.strip())
    return redirect("/settings#fields", f"Added the field {info.name}.", request)


@router.post("/settings/sync/{name}", name="settings_sync_now")
def sync_now(request: Request, name: str, ctx: WebContext = Depends(get_ctx)) -> Response:
    """Sync one source now (``netfolio sync --source NAME``); its result shows on the page."""
    from netfolio.errors import NetfolioError

    try:
        (report,) = ctx.net.sync(name)
    except NetfolioError as exc:
        return redirect("/settings#sources", str(exc), request)
    if report.runs:
        ctx.wrote()
    return redirect("/settings#sources", f"Synced {report.source}: {report.summary}.", request)
