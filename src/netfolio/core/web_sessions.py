"""Web sessions held on the server (OWASP ASVS V3): a logged-in browser is a row here.

The browser's cookie carries a random key (256 bits); only its SHA-256 is stored, so the
table gives nothing a browser could replay. Logging out deletes the row; a new password
deletes every row of that user (``netfolio team set-password``, ``netfolio serve
--set-password``), so a cookie from before is refused, even by a server started later.
The table is the server's: a member's own database role is granted nothing on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netfolio.core.models import WebSession, utcnow


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(*, db_session: Session, user_id: int, seconds: int) -> str:
    """A new session for ``user_id``: returns its key (for the cookie, never stored)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db_session.execute(delete(WebSession).where(WebSession.expires_at < now))
    db_session.add(WebSession(key_sha256=_digest(key), user_id=user_id, created_at=now,
                              expires_at=now + dt.timedelta(seconds=seconds)))
    db_session.flush()
    return key


def session_user(*, db_session: Session, key: str) -> int | None:
    """The user of a live session, or None (unknown, ended or expired)."""
    row = db_session.execute(
        select(WebSession.user_id, WebSession.expires_at)
        .where(WebSession.key_sha256 == _digest(key))
    ).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return int(row.user_id)


def end_session(*, db_session: Session, key: str) -> None:
    db_session.execute(delete(WebSession).where(WebSession.key_sha256 == _digest(key)))


def end_sessions(*, db_session: Session, user_id: int | None = None) -> int:
    """End every session of ``user_id`` (None: of everyone); returns how many ended."""
    statement = delete(WebSession)
    if user_id is not None:
        statement = statement.where(WebSession.user_id == user_id)
    return int(db_session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


__all__ = ["end_session", "end_sessions", "session_user", "start_session"]
