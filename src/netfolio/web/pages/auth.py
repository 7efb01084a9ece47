"""Logging in and out (only when a password is set: ``netfolio serve --set-password``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from netfolio.web.deps import WebContext, get_ctx, get_session, redirect, render
from netfolio.web.security import verify_password

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this server (never ``//evil.example`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request, next: str = "/",
               ctx: WebContext = Depends(get_ctx)) -> Response:
    if not ctx.password_hash or get_session(request).logged_in:
        return redirect(_safe_next(next))
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", name="login_post")
def login(request: Request, password: str = Form(..., max_length=1000), next: str = Form("/"),
          ctx: WebContext = Depends(get_ctx)) -> Response:
    target = _safe_next(next)
    if not ctx.password_hash:
        return redirect(target)
    if ctx.throttle.blocked():
        return render(request, "login.html", {
            "next": target, "error": "Too many wrong passwords: wait a minute and try again.",
        }, status_code=429)
    if not verify_password(ctx.password_hash, password):
        ctx.throttle.failed()
        return render(request, "login.html", {"next": target, "error": "Wrong password."},
                      status_code=401)
    get_session(request).log_in()
    return redirect(target)


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    get_session(request).log_out()
    return redirect("/login" if request.app.state.ctx.password_hash else "/")
