"""The API explorer: Swagger UI over ``/api/v1/openapi.json``, served by this server.

Swagger UI's files come from the installed ``swagger-ui-py`` package (mounted at
``/static/swagger-ui/`` by the app factory): nothing is fetched from elsewhere, so the
explorer works offline and under the same Content-Security-Policy as every page (its
start-up is ``static/api-explorer.js``, not an inline script).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from netfolio.web.deps import render

router = APIRouter()

#: Where the explorer's own files are served from.
ASSETS_URL = "/static/swagger-ui"


def swagger_ui_files() -> Path:
    """The folder of Swagger UI's files in the installed ``swagger-ui-py`` package."""
    return Path(str(resources.files("swagger_ui") / "static"))


@router.get("/api/docs", response_class=HTMLResponse, name="api_docs")
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "api_docs.html", {"assets": ASSETS_URL})
