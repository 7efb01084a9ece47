"""The HTML pages, one module per page (or a few closely related forms)."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from netfolio.web.pages import (
        api_docs,
        ask,
        auth,
        dashboard,
        imports,
        network_map,
        people,
        person,
        plan,
        settings,
        team,
    )

    return [m.router for m in (auth, dashboard, plan, people, person, network_map, ask,
                               team, imports, settings, api_docs)]
