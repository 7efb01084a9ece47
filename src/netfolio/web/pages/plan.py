"""The plan's buttons: done (logs the suggested touch), skip, snooze; with or without script."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response

from netfolio.web.api.models import Channel, Id, Intent
from netfolio.web.deps import WebContext, get_ctx, redirect
from netfolio.web.practice_view import plan_action

router = APIRouter()


@router.post("/plan/{person_id}/{action}", name="plan_action")
def act(
    request: Request,
    person_id: Id,
    action: Literal["done", "skip", "snooze"],
    intent: Intent | None = Form(None),
    channel: Channel = Form("message"),
    note: str = Form("", max_length=5000),
    ctx: WebContext = Depends(get_ctx),
) -> Response:
    result = plan_action(ctx, person_id, action, intent=intent, channel=channel, note=note)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(result.to_dict())
    return redirect("/#plan", result.message, request)
