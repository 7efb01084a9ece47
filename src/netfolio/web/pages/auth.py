"""Logging in and out: with the server's password (``netfolio serve --set-password``), or in
team mode as a member, with a username and password (``netfolio team add-user``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.core.db import ME
from netfolio.core.users import password_matches
from netfolio.core.web_sessions import end_session, start_session
from netfolio.web.app import stored_password_hash
from netfolio.web.deps import WebContext, app_ctx, get_session, redirect, render
from netfolio.web.security import SESSION_DAYS

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this server (never ``//evil.example`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _needs_login(ctx: WebContext, request: Request) -> bool:
    session = get_session(request)
    if ctx.team:
        return session.user_id is None
    return bool(ctx.password_hash) and not session.logged_in


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request, next: str = "/",
               ctx: WebContext = Depends(app_ctx)) -> Response:
    if not _needs_login(ctx, request):
        return redirect(_safe_next(next))
    return render(request, "login.html", {"next": _safe_next(next), "error": None,
                                          "username": ""})


@router.post("/login", name="login_post")
def login(request: Request, password: str = Form(..., max_length=1000),
                username: str = Form("", max_length=100), next: str = Form("/"),
                ctx: WebContext = Depends(app_ctx)) -> Response:
    target = _safe_next(next)
    if not ctx.team and not ctx.password_hash:
        return redirect(target)
    page = {"next": target, "username": username.strip()}
    account = username.strip().lower()[:100] if ctx.team else ""
    address = request.client.host if request.client else ""
    if ctx.throttle.blocked(account, address):
        return render(request, "login.html", {
            **page, "error": "Too many wrong passwords: wait a minute and try again.",
        }, status_code=429)
    user_id: int | None = None
    if ctx.members is not None:
        user = ctx.members.server.team.authenticate(username, password)
        ok, user_id = user is not None, user.id if user is not None else None
    else:  # the ledger's hash now: a new password counts on a running server
        current = stored_password_hash(ctx.net) or ctx.password_hash
        ok = password_matches(current, password)
    if not ok:
        ctx.throttle.failed(account, address)
        wrong = "Wrong username or password." if ctx.team else "Wrong password."
        return render(request, "login.html", {**page, "error": wrong}, status_code=401)
    with ctx.net.session() as s:
        key = start_session(db_session=s, user_id=user_id or ME, seconds=SESSION_DAYS * 86_400)
    get_session(request).log_in(user_id, key)
    return redirect(target)


@router.post("/logout", name="logout")
def logout(request: Request, ctx: WebContext = Depends(app_ctx)) -> Response:
    session = get_session(request)
    if session.key is not None:  # the server forgets it: a replayed cookie is no login
        with ctx.net.session() as s:
            end_session(db_session=s, key=session.key)
    session.log_out()
    return redirect("/login" if ctx.password_hash or ctx.team else "/")
