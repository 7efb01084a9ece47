"""The JSON API, ``/api/v1/...``: the same Network calls as the pages, with pydantic models."""

from __future__ import annotations

from fastapi import APIRouter

from netfolio.web.api import ledger, measures, people, practice, team

router = APIRouter()
for module in (people, ledger, measures, practice, team):
    router.include_router(module.router)
