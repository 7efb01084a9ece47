"""``/api/v1/interactions`` and asks: record what happened, and take it back."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from netfolio.network import InteractionInfo
from netfolio.web.api.models import ERRORS, Id, InteractionIn
from netfolio.web.deps import WebContext, get_ctx

router = APIRouter(tags=["interactions"])


@router.post("/interactions", response_model=InteractionInfo, status_code=201,
             responses=ERRORS)
def log(body: InteractionIn, ctx: WebContext = Depends(get_ctx)) -> InteractionInfo:
    """Record one interaction with one or more people (``when`` defaults to now)."""
    row = ctx.net.log(body.people, when=body.when, channel=body.channel, intent=body.intent,
                      initiator=body.initiator, note=body.note, source="web")
    ctx.wrote()
    return row


@router.delete("/interactions/{interaction_id}", response_model=InteractionInfo,
               responses=ERRORS)
def unlog(interaction_id: Id, ctx: WebContext = Depends(get_ctx)) -> InteractionInfo:
    """Remove an interaction logged by mistake; returns what was removed."""
    row = ctx.net.unlog(interaction_id)
    ctx.wrote()
    return row
