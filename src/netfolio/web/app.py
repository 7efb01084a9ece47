"""The app factory: ``create_app(db)`` is the whole web app over one ledger.

    from netfolio.web import create_app
    app = create_app("~/netfolio.db")          # then: uvicorn, or TestClient(app)

Pages and the JSON API are thin shells over :class:`netfolio.Network`, like the CLI.

A team database (PostgreSQL, where members log in: :func:`netfolio.core.users.is_team`)
is served in team mode: every page and API call acts for a logged-in member (or the owner
of an API token) through ``net.for_user(id)``, each member with a measures cache of their
own (:mod:`netfolio.web.members`).
"""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from netfolio.errors import AmbiguousError, BusyError, NetfolioError, NotFoundError
from netfolio.web.deps import HERE, WebContext, csrf_protect, render
from netfolio.web.security import (
    PASSWORD_KEY,
    SECRET_KEY,
    BodyLimit,
    Guard,
    SessionCodec,
    is_loopback,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from netfolio.network import Network
    from netfolio.web.cache import Measured
    from netfolio.web.members import Member

#: Uploads (import files) larger than this are refused with 413.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def stored_password_hash(net: Network) -> str | None:
    """The argon2 hash set by ``netfolio serve --set-password``, if any."""
    from netfolio.core.settings import get_server_setting

    with net.session(write=False) as s:
        value = get_server_setting(db_session=s, key=PASSWORD_KEY)
    return value if isinstance(value, str) and value else None


def store_password_hash(net: Network, password_hash: str) -> None:
    from netfolio.core.settings import set_server_setting

    with net.session() as s:
        set_server_setting(db_session=s, key=PASSWORD_KEY, value=password_hash)


def session_secret(net: Network) -> str:
    """The secret that signs session cookies: generated once, kept in the ledger."""
    from netfolio.core.settings import get_server_setting, set_server_setting

    with net.session(write=False) as s:  # a server starts during an import too
        value = get_server_setting(db_session=s, key=SECRET_KEY)
    if isinstance(value, str) and len(value) >= 32:
        return value
    with net.session() as s:
        value = get_server_setting(db_session=s, key=SECRET_KEY)
        if not isinstance(value, str) or len(value) < 32:
            value = secrets.token_urlsafe(48)
            set_server_setting(db_session=s, key=SECRET_KEY, value=value)
    return value


def live_session_user(net: Network, key: str) -> int | None:
    """The user of the server-side web session ``key``, if it is live."""
    from netfolio.core.web_sessions import session_user

    with net.session() as s:
        return session_user(db_session=s, key=key)


def serves_team(db: str | None) -> bool:
    """Whether the web app serves ``db`` in team mode (its members log in)."""
    from netfolio.core.db import ME
    from netfolio.core.users import is_team
    from netfolio.network import Network

    with Network(db, user=ME) as net, net.session() as s:
        return is_team(s)


def _status(exc: NetfolioError) -> int:
    if isinstance(exc, BusyError):
        return 503
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, AmbiguousError):
        return 409
    return 422


def create_app(
    db: str | None = None,
    *,
    password_hash: str | None = None,
    host: str = "127.0.0.1",
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    allowed_hosts: frozenset[str] | None = None,
    warm: bool = False,
    secure_cookie: bool = False,
) -> FastAPI:
    """The web app over the ledger ``db`` (a path or URL; None: the default ledger).

    ``password_hash`` (argon2) defaults to the one stored in the ledger; when there is one,
    every page needs a login (checked against the ledger's current hash at each login, so
    ``netfolio serve --set-password`` takes effect on a running server). ``host`` is where
    the server will listen: on loopback only requests naming loopback are answered (DNS
    rebinding); ``allowed_hosts`` are the names answered elsewhere (None: any plain name).
    ``secure_cookie`` marks the session cookie ``Secure`` and sends HSTS (behind TLS).
    ``warm`` computes the measures
    in the background at start-up and after each write, so pages stay fast.

    On a team database members log in with their own username and password (or an API
    token), and ``password_hash`` is not used.
    """
    from netfolio.core.db import ME
    from netfolio.core.users import is_team
    from netfolio.network import Network
    from netfolio.web.cache import MeasuresCache, NoMeasures
    from netfolio.web.security import check_listen
    from netfolio.web.templating import make_environment

    # Server-wide things (the session secret, whether this is a team) belong to user 1,
    # whoever the server acts for later; a team database has several users, so name one.
    net = Network(db, user=ME)
    with net.session(write=False) as s:  # opens (and upgrades) the ledger now
        team = is_team(s)
    members = None
    if team:
        from netfolio.web.members import Members

        password_hash = None
        members = Members(net)
    else:
        user = os.environ.get("NETFOLIO_USER")
        if user:  # a personal ledger acts for its one user (as `Network(db)` does)
            net.close()
            net = Network(db)
            net.database  # noqa: B018
        password_hash = password_hash or stored_password_hash(net)
    check_listen(host, password_hash, team=team)
    if allowed_hosts is None and is_loopback(host):
        allowed_hosts = LOOPBACK_NAMES
    ctx = WebContext(
        net=net, cache=NoMeasures(net) if team else MeasuresCache(net),
        env=make_environment(), password_hash=password_hash,
        max_upload_bytes=max_upload_bytes, warm=warm, members=members,
    )
    app = FastAPI(
        title="netfolio",
        version="1",
        summary="Your network, managed like an index fund: the JSON API over your ledger.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    if members is not None and warm:
        members.warmers = _warmers(ctx)
    _routes(app)
    from netfolio.web.pages.api_docs import ASSETS_URL, swagger_ui_files

    # Swagger UI's files, from the installed package, before the app's own /static.
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_files()), name="swagger_ui")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _error_handlers(app)
    app.add_middleware(Guard, codec=SessionCodec(session_secret(net)),
                       password_hash=password_hash, allowed_hosts=allowed_hosts,
                       secure_cookie=secure_cookie,
                       token_user=members.user_for_token if members is not None else None,
                       session_user=lambda key: live_session_user(net, key))
    app.add_middleware(BodyLimit, limit=max_upload_bytes)
    _reads_never_wait(app)
    if not team and net.database.postgres:
        _stop_once_a_team(app, net)
    if warm and not team:
        from netfolio.web.people_query import search_index
        from netfolio.web.practice_view import this_week_plan

        ctx.cache.warmers.append(lambda measured: search_index(net, measured))
        ctx.cache.warmers.append(lambda measured: this_week_plan(ctx, measured))
        ctx.cache.refresh_in_background()
        ctx.cache.watch()  # a write from another process starts the refresh at once
        app.router.on_shutdown.append(ctx.cache.stop)
    return app


def _reads_never_wait(app: FastAPI) -> None:
    """GET and HEAD only read: their sessions begin deferred, so a page still loads while
    an import holds the ledger's write lock; the writes of other methods wait their turn."""
    from netfolio.core.db import reading

    @app.middleware("http")
    async def read_only_gets(request: Request, call_next: Any) -> Response:
        if request.method in ("GET", "HEAD"):
            with reading():
                response: Response = await call_next(request)
                return response
        response = await call_next(request)
        return response


def _stop_once_a_team(app: FastAPI, net: Network) -> None:
    """A personal PostgreSQL ledger becomes a team database with its first account
    (`netfolio team add-user`). This server lets its visitors in as user 1, so from then on
    it answers 503 until it is restarted, when members log in with their own passwords."""
    from starlette.concurrency import run_in_threadpool

    from netfolio.core.users import is_team

    became = False

    def check() -> bool:
        nonlocal became
        if not became:
            with net.session() as s:
                became = is_team(s)
        return became

    @app.middleware("http")
    async def still_personal(request: Request, call_next: Any) -> Response:
        if await run_in_threadpool(check):
            return JSONResponse(
                {"detail": "this ledger has become a team database: restart `netfolio serve` "
                           "so that members log in"}, status_code=503)
        response: Response = await call_next(request)
        return response


def _warmers(ctx: WebContext) -> Callable[[Member], list[Callable[[Measured], object]]]:
    """What a member's measures bring along when the server runs warm (as for one user)."""
    from netfolio.web.people_query import search_index
    from netfolio.web.practice_view import this_week_plan

    def warmers(member: Member) -> list[Callable[[Measured], object]]:
        return [lambda measured: search_index(member.net, measured),
                lambda measured: this_week_plan(ctx.acting(member.user.id), measured)]

    return warmers


def _routes(app: FastAPI) -> None:
    from netfolio.web.api import router as api_router
    from netfolio.web.pages import routers

    guarded = [Depends(csrf_protect)]
    for router in routers():
        app.include_router(router, dependencies=guarded, include_in_schema=False)
    app.include_router(api_router, prefix="/api/v1", dependencies=guarded)


def _retry(exc: NetfolioError) -> dict[str, str] | None:
    """A busy ledger (an import holds its write lock) is worth asking again in a moment."""
    return {"Retry-After": "5"} if isinstance(exc, BusyError) else None


def _methods_of(app: FastAPI, path: str) -> list[str]:
    """The methods some route of ``app`` answers at ``path`` (for a 405's ``Allow``)."""
    methods: set[str] = set()
    for route in app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NetfolioError)
    async def netfolio_error(request: Request, exc: NetfolioError) -> Response:
        status = _status(exc)
        if _wants_json(request):
            body: dict[str, Any] = {"detail": str(exc)}
            if status == 422:  # the shape of FastAPI's own 422s: one kind of answer per code
                body["detail"] = [{"type": "value_error", "loc": [], "msg": str(exc)}]
            if isinstance(exc, AmbiguousError):
                body["candidates"] = [{"id": i, "label": lab} for i, lab in exc.candidates]
            return JSONResponse(body, status_code=status, headers=_retry(exc))
        page = render(request, "error.html", {"status": status, "message": str(exc)},
                      status_code=status)
        page.headers.update(_retry(exc) or {})
        return page

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        """A value the database cannot hold (``#99999999999999999999``): a bad value."""
        from netfolio.errors import ValidationError

        return await netfolio_error(
            request, ValidationError("a value is out of range for the ledger"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request) and exc.status_code == 400:
            # A body that is not even text (FastAPI's own 400): unprocessable, as every
            # operation documents, in the shape of its other 422s.
            return JSONResponse({"detail": [{"type": "json_invalid", "loc": ["body"],
                                             "msg": f"the body is no JSON: {exc.detail}"}]},
                                status_code=422)
        if _wants_json(request) or exc.status_code == 405:
            headers = dict(getattr(exc, "headers", None) or {})
            if exc.status_code == 405:  # every method of the path, not only one route's
                headers["Allow"] = ", ".join(_methods_of(app, request.url.path))
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=headers or None)
        message = exc.detail if exc.status_code != 404 else "There is no such page."
        return render(request, "error.html", {"status": exc.status_code, "message": message},
                      status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        from fastapi.encoders import jsonable_encoder

        if _wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg')}"
            for e in exc.errors()
        )
        return render(request, "error.html", {"status": 422, "message": problems},
                      status_code=422)
