"""The web app and JSON API (``netfolio serve``): a thin shell over :class:`netfolio.Network`.

FastAPI, Jinja templates, our own CSS and a little of our own JavaScript; charts and the
network map are drawn on the server as SVG. Nothing is fetched from elsewhere. See
``docs/web.md`` for the pages, the API and the security model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netfolio.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from netfolio.web.app import create_app

        return create_app
    raise AttributeError(name)
