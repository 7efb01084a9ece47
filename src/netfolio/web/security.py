"""The web app's guards: loopback by default, a password, signed sessions, CSRF, body limits.

The model (``docs/web.md`` says it in prose):

- ``netfolio serve`` listens on 127.0.0.1. Any other address needs a password, stored as an
  argon2 hash in the ledger's ``server_setting`` table (``netfolio serve --set-password``).
- The session is a cookie signed with a secret generated once and kept in the ledger. It holds
  a CSRF token and, once the browser logged in, the key of a session held on the server
  (:mod:`netfolio.core.web_sessions`): logging out or a new password ends that record, so
  a replayed cookie is refused, even by a server started later (OWASP ASVS V3).
- Logins are throttled per account and per client address (:class:`LoginThrottle`): one
  member's typos never lock another out.
- Every answer but static files says ``Cache-Control: no-store``; behind TLS,
  ``netfolio serve --secure-cookies`` marks the cookie ``Secure`` and sends HSTS.
- Team mode (a PostgreSQL ledger where members log in, :func:`netfolio.core.users.is_team`):
  every page and API call needs a member. The session records the member's user id after
  they log in with their username and password; a script may instead send
  ``Authorization: Bearer <token>`` to the API (``netfolio team token create NAME``). A
  token request carries no cookie, so it needs no CSRF token.
- Every request that changes something (POST, PUT, PATCH, DELETE) carries the CSRF token: a
  hidden ``csrf_token`` form field, or the ``X-CSRF-Token`` header for the page's own scripts
  and for API clients (``GET /api/v1/csrf`` hands one out with its cookie).
- The ``Host`` header must be a plain name (and port) that the server was started for: on
  loopback a loopback name (DNS rebinding), elsewhere ``--host`` and ``--allowed-host``.
- Request bodies are capped (:class:`BodyLimit`); uploads are read as bytes, never as paths.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.exceptions import HTTPException

from netfolio.errors import ConfigError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Keys in the ledger's ``server_setting`` table (the server's, never a member's).
PASSWORD_KEY = "web_password_hash"
SECRET_KEY = "web_session_secret"

COOKIE = "netfolio_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_DAYS = 14
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Paths anyone may open without logging in.
PUBLIC_PREFIXES = ("/login", "/static/", "/favicon.ico")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: addresses no other machine can reach."""
    name = host.strip().lower()
    if name.startswith("[") and "]" in name:
        name = name[1:name.index("]")]
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


#: A Host header: a DNS name or IPv4 address, or an IPv6 address in brackets; then a port.
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,252}))(?::[0-9]{1,5})?")


def host_name(header: str) -> str | None:
    """The name of a ``Host`` header without its port, or None if it is anything but a plain
    name and port (``127.0.0.1:8000@evil.example`` is not)."""
    found = _HOST.fullmatch(header.strip().lower())
    return found.group(1) if found else None


def check_listen(host: str, password_hash: str | None, *, team: bool = False) -> None:
    """Refuse to listen beyond loopback without a password (ConfigError says what to do).
    In team mode every member logs in with their own password."""
    if not is_loopback(host) and not password_hash and not team:
        raise ConfigError(
            f"--host {host} lets other machines reach your network: set a password first "
            "with `netfolio serve --set-password`"
        )


@dataclass
class LoginThrottle:
    """Slows down guessing: after ``per_account`` failures for one account, or
    ``per_address`` from one client address, within ``window`` seconds, that account (or
    address) waits the window out. Other accounts, from other addresses, are not held up."""

    per_account: int = 5
    per_address: int = 20
    window: float = 60.0
    #: the most keys remembered (the oldest go first): memory stays bounded under a flood
    keep: int = 10_000
    failures: dict[str, list[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> int:
        times = [t for t in self.failures.get(key, ()) if now - t < self.window]
        if times:
            self.failures[key] = times
        else:
            self.failures.pop(key, None)
        return len(times)

    def blocked(self, account: str, address: str) -> bool:
        now = time.monotonic()
        return (self._recent(f"a:{account}", now) >= self.per_account
                or self._recent(f"ip:{address}", now) >= self.per_address)

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        for key in (f"a:{account}", f"ip:{address}"):
            self.failures.setdefault(key, []).append(now)
        while len(self.failures) > self.keep:
            self.failures.pop(next(iter(self.failures)))


# -- sessions ---------------------------------------------------------------------------


class Session(dict[str, Any]):
    """The signed-cookie session of one browser; ``changed`` makes the cookie be re-sent."""

    changed: bool = False

    @property
    def csrf(self) -> str:
        token = self.get("csrf")
        if not isinstance(token, str):
            token = self["csrf"] = secrets.token_urlsafe(32)
            self.changed = True
        return token

    @property
    def logged_in(self) -> bool:
        return bool(self.get("in"))

    @property
    def user_id(self) -> int | None:
        """The member this browser logged in as (team mode), or None."""
        uid = self.get("uid")
        return uid if self.logged_in and isinstance(uid, int) and uid > 0 else None

    @property
    def key(self) -> str | None:
        """The key of the server's record of this login (:mod:`netfolio.core.web_sessions`)."""
        sid = self.get("sid")
        return sid if isinstance(sid, str) and sid else None

    def log_in(self, user_id: int | None = None, key: str | None = None) -> None:
        self.clear()
        self["in"] = True
        if user_id is not None:
            self["uid"] = user_id
        if key is not None:
            self["sid"] = key
        self["csrf"] = secrets.token_urlsafe(32)  # a new token after login (no fixation)
        self.changed = True

    def log_out(self) -> None:
        self.clear()
        self.changed = True

    def flash(self, message: str) -> None:
        """A one-line message shown on the next page."""
        self["flash"] = message
        self.changed = True

    def pop_flash(self) -> str | None:
        message = self.pop("flash", None)
        if message is not None:
            self.changed = True
        return message if isinstance(message, str) else None


class SessionCodec:
    """Signs and reads the session cookie (itsdangerous, timestamped)."""

    def __init__(self, secret: str, max_age: int = SESSION_DAYS * 86_400) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="netfolio-session")
        self.max_age = max_age

    def dumps(self, session: Session) -> str:
        return self._serializer.dumps(dict(session))

    def loads(self, cookie: str | None) -> Session:
        if not cookie:
            return Session()
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return Session()
        return Session(data) if isinstance(data, dict) else Session()


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def _cookies(scope: Scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is no session
                return {}
            return {k: m.value for k, m in jar.items()}
    return {}


def _header(scope: Scope, key: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == key:
            return str(value.decode("latin-1"))
    return None


async def _send_json(send: Send, status: int, detail: str,
                     extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]})
    await send({"type": "http.response.body", "body": body})


def bearer_token(scope: Scope) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    value = _header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


class Guard:
    """ASGI middleware: host check, the session cookie, the login gate, security headers,
    and a ``Server-Timing`` header with the time the app took (for benchmarks and devtools).

    CSRF is checked per route (:func:`netfolio.web.deps.csrf_protect`), where the form
    has been parsed; this layer only makes sure every browser has a session and a token.

    In team mode (``token_user`` given) the gate lets through only a logged-in member, or an
    API call with a live token; it puts the acting user's id in the request state
    (``user_id``, and ``via_token`` for a token), where the routes find it.
    """

    def __init__(self, app: ASGIApp, *, codec: SessionCodec, password_hash: str | None,
                 allowed_hosts: frozenset[str] | None, secure_cookie: bool = False,
                 token_user: Callable[[str], int | None] | None = None,
                 session_user: Callable[[str], int | None] | None = None) -> None:
        self.app = app
        self.session_user = session_user
        self.codec = codec
        self.password_hash = password_hash
        self.allowed_hosts = allowed_hosts
        self.secure_cookie = secure_cookie
        self.token_user = token_user

    def _host_ok(self, scope: Scope) -> bool:
        name = host_name(_header(scope, b"host") or "")
        if name is None:
            return False
        return self.allowed_hosts is None or name in self.allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self._host_ok(scope):
            await _send_json(send, 400, "this server does not answer to that host name")
            return
        path: str = scope.get("path", "/")
        state = scope.setdefault("state", {})
        state["user_id"], state["via_token"] = None, False
        token = bearer_token(scope) if self.token_user and path.startswith("/api/") else None
        if token is not None:
            await self._token_call(scope, receive, send, token, path)
            return
        session = self.codec.loads(_cookies(scope).get(COOKIE))
        if session.logged_in:
            await self._check_login(session)
        _ = session.csrf  # every browser gets a token on its first visit
        state["session"] = session
        if self.token_user is not None:
            state["user_id"] = session.user_id
            let_in = session.user_id is not None
        else:
            let_in = not self.password_hash or session.logged_in
        if not let_in and not path.startswith(PUBLIC_PREFIXES):
            if path.startswith("/api/"):
                await _send_json(send, 401, "log in first (this server has a password)",
                                 [(b"www-authenticate", b'Cookie realm="netfolio"')])
            else:
                from urllib.parse import quote

                query = scope.get("query_string", b"").decode("latin-1")
                target = path + (f"?{query}" if query else "")
                location = "/login?next=" + quote(target, safe="")
                await send({"type": "http.response.start", "status": 303, "headers": [
                    (b"location", location.encode("latin-1")), (b"content-length", b"0"),
                    *self._cookie_headers(session),
                ]})
                await send({"type": "http.response.body", "body": b""})
            return

        started = time.perf_counter()

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                took = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={took:.1f}".encode()))
                headers += self._security_headers(path)
                headers += self._cookie_headers(session)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapped)

    async def _check_login(self, session: Session) -> None:
        """A signed cookie is a login only while the server holds its record (logout and
        a new password end it); else the browser is logged out."""
        from starlette.concurrency import run_in_threadpool

        key = session.key
        user_id = None
        if key is not None and self.session_user is not None:
            user_id = await run_in_threadpool(self.session_user, key)
        if user_id is None or (session.user_id is not None and user_id != session.user_id):
            session.log_out()

    async def _token_call(self, scope: Scope, receive: Receive, send: Send, token: str,
                          path: str) -> None:
        """An API call with a bearer token: no cookie read or set, no CSRF token needed."""
        from starlette.concurrency import run_in_threadpool

        assert self.token_user is not None
        user_id = await run_in_threadpool(self.token_user, token)
        if user_id is None:
            await _send_json(send, 401, "this token is unknown or revoked",
                             [(b"www-authenticate", b'Bearer realm="netfolio"')])
            return
        state = scope["state"]
        state["user_id"], state["via_token"] = user_id, True
        state["session"] = Session()  # a throwaway: never sent back as a cookie
        started = time.perf_counter()

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={took:.1f}".encode()),
                    *self._security_headers(path),
                ]
            await send(message)

        await self.app(scope, receive, send_wrapped)

    def _cookie_headers(self, session: Session) -> list[tuple[bytes, bytes]]:
        if not session.changed:
            return []
        value = (
            f"{COOKIE}={self.codec.dumps(session)}; Path=/; HttpOnly; SameSite=Lax; "
            f"Max-Age={self.codec.max_age}"
        )
        if self.secure_cookie:
            value += "; Secure"
        return [(b"set-cookie", value.encode("latin-1"))]

    def _security_headers(self, path: str) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            # every page, the API explorer too: it is served from the installed package
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        ]
        if not path.startswith("/static/"):  # private pages and answers: never cached
            headers.append((b"cache-control", b"no-store"))
        if self.secure_cookie:
            headers.append((b"strict-transport-security", b"max-age=31536000"))
        return headers


class BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit (an HTTP 413 wherever it surfaces)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


def _too_large(limit: int) -> str:
    return f"the upload is larger than {limit // (1024 * 1024)} MB, the most accepted"


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413, before parsing."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_json(send, 413, _too_large(self.limit))
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await _send_json(send, 413, _too_large(self.limit))
