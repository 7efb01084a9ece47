"""What every route shares: the Network it acts through, the measures cache, templates, CSRF,
rendering. In team mode each request acts for its member (:func:`get_ctx`)."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from netfolio.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    UNSAFE_METHODS,
    LoginThrottle,
    Session,
    tokens_match,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from netfolio.network import Network
    from netfolio.web.cache import MeasuresCache
    from netfolio.web.members import Members

HERE = Path(__file__).parent
#: How long a page waits for the measures to catch up after a write before it shows the
#: previous figures (with a note) while they are recomputed in the background. Every page
#: waits: the next request after a write shows fresh figures whenever the measures can be
#: recomputed in this time (see docs/performance.md for how long that takes).
PAGE_WAIT = 5.0


@dataclass
class PendingUpload:
    """An uploaded import file kept in memory between its dry run and its confirmation."""

    name: str
    data: bytes
    format: str | None
    created: float = field(default_factory=time.monotonic)


class PendingUploads:
    """At most a few uploads, for at most half an hour; never written under a user's name."""

    def __init__(self, keep: int = 4, seconds: float = 1800.0) -> None:
        self.keep = keep
        self.seconds = seconds
        self._items: dict[str, PendingUpload] = {}
        self._lock = threading.Lock()

    def add(self, upload: PendingUpload) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            while len(self._items) >= self.keep:
                self._items.pop(next(iter(self._items)))
            self._items[token] = upload
        return token

    def get(self, token: str) -> PendingUpload | None:
        with self._lock:
            self._expire()
            return self._items.get(token)

    def pop(self, token: str) -> PendingUpload | None:
        with self._lock:
            self._expire()
            return self._items.pop(token, None)

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, u in self._items.items() if now - u.created > self.seconds]:
            del self._items[token]


@dataclass
class WebContext:
    """The app's state: one Network over the ledger, its measures cache, the templates.

    In team mode the app's own context holds the server's Network (acting for user 1, for
    server-wide things such as the session secret) and ``members``; each request gets a
    copy acting for its member (:meth:`acting`), with that member's Network and cache.
    """

    net: Network
    cache: MeasuresCache
    env: Environment
    password_hash: str | None
    max_upload_bytes: int
    warm: bool = False
    uploads: PendingUploads = field(default_factory=PendingUploads)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    #: team mode: members log in; None for a personal ledger
    members: Members | None = None
    #: the member a request acts for (team mode), and their name for the pages
    user_id: int | None = None
    member_name: str | None = None

    @property
    def team(self) -> bool:
        return self.members is not None

    def acting(self, user_id: int) -> WebContext:
        """This context acting for member ``user_id``: their Network, cache and uploads."""
        assert self.members is not None
        member = self.members.get(user_id)
        return dataclasses.replace(
            self, net=member.net, cache=member.cache, uploads=member.uploads,
            user_id=user_id, member_name=member.user.display_name,
        )

    def wrote(self) -> None:
        """Something was written: recompute the measures now rather than on the next page."""
        if self.warm:
            self.cache.refresh_in_background()


def app_ctx(request: Request) -> WebContext:
    """The app's own context (in team mode: acting for no member; the login page's)."""
    ctx: WebContext = request.app.state.ctx
    return ctx


def get_ctx(request: Request) -> WebContext:
    """The context a request acts through: the app's own, or (team mode) its member's.

    In team mode a request with no member is refused here too (the login gate already
    sent it to the login page): no route reads the ledger without someone to act for.
    """
    ctx = app_ctx(request)
    if ctx.members is None:
        return ctx
    acting: WebContext | None = getattr(request.state, "acting", None)
    if acting is None:
        user_id = getattr(request.state, "user_id", None)
        if user_id is None:
            raise HTTPException(401, "log in first")
        acting = request.state.acting = ctx.acting(user_id)
    return acting


def member_ctx(request: Request) -> WebContext:
    """The context of the member a team request acts for (404 outside team mode)."""
    ctx = get_ctx(request)
    if not ctx.team:
        raise HTTPException(404, "team mode only: this ledger is not a team database")
    if ctx.user_id is None:
        raise HTTPException(401, "log in first")
    return ctx


def get_session(request: Request) -> Session:
    session: Session = request.state.session
    return session


async def csrf_protect(request: Request) -> None:
    """Refuse a request that changes something without this browser's CSRF token (403)."""
    if request.method not in UNSAFE_METHODS or getattr(request.state, "via_token", False):
        return  # a bearer-token call carries no cookie: nothing a page can forge
    expected = get_session(request).csrf
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not tokens_match(expected, given):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Render a page with what every page needs: the CSRF token, the flash line, the nav."""
    ctx: WebContext = getattr(request.state, "acting", None) or app_ctx(request)
    session = get_session(request)
    values = {
        "request": request,
        "csrf_token": session.csrf,
        "flash": session.pop_flash(),
        "logged_in": session.logged_in,
        "has_password": bool(ctx.password_hash) or ctx.team,
        "team": ctx.team,
        "member": ctx.member_name,
        "path": request.url.path,
        **(context or {}),
    }
    html = ctx.env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)


def redirect(url: str, flash: str | None = None, request: Request | None = None) -> Any:
    """A 303 to ``url`` (after a form post), with a one-line message for the next page."""
    if flash and request is not None:
        get_session(request).flash(flash)
    return RedirectResponse(url, status_code=303)
