"""Sync sources and their cursors in the ledger: service functions over ``sync_source`` and
``sync_cursor`` (see :class:`~netfolio.core.models.SyncSource`)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netfolio.core.models import ImportRun, SyncCursor, SyncSource
from netfolio.core.shapes import Plain
from netfolio.errors import NotFoundError, ValidationError

KINDS = ("imap", "caldav", "carddav", "ics")
#: The kinds this version syncs.
SUPPORTED = KINDS
#: Cursor rows kept per collection (``import undo`` can go back this many syncs).
KEEP_CURSORS = 50
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_SCHEMES = {
    "imap": ("imaps", "imap"),
    "ics": ("https", "http", "webcal", "webcals"),
    "caldav": ("https", "http"),
    "carddav": ("https", "http"),
}


@dataclass
class SourceInfo(Plain):
    """A sync source as plain data (never its password)."""

    id: int
    name: str
    kind: str
    url: str
    username: str | None
    password_env: str | None
    options: dict[str, Any]
    last_sync_at: str | None
    last_status: str | None
    last_error: str | None
    last_counts: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, s: SyncSource) -> SourceInfo:
        return cls(s.id, s.name, s.kind, s.url, s.username, s.password_env, dict(s.options or {}),
                   s.last_sync_at.isoformat() if s.last_sync_at else None, s.last_status,
                   s.last_error, dict(s.last_counts or {}))


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(kind: str, url: str, *, plain: bool = False) -> str:
    """The URL, checked for its kind: ``imaps://host[:993]`` (TLS) or ``imap://host`` (STARTTLS;
    without TLS only on loopback and with ``plain``); https (or webcal) for calendars."""
    if kind not in KINDS:
        raise ValidationError(f"{kind!r}: a source is one of {', '.join(KINDS)}")
    parts = urlsplit(url.strip())
    if parts.scheme not in _SCHEMES[kind] or not parts.hostname:
        raise ValidationError(
            f"{url!r}: a {kind} source's URL starts with "
            + " or ".join(f"{s}://" for s in _SCHEMES[kind]) + " and names a host"
        )
    if plain and not is_loopback(parts.hostname):
        raise ValidationError(
            f"{url!r}: --plain (no TLS) is allowed only for a server on this machine (loopback)"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(f"{url!r}: use https:// (plain http only on loopback)")
    return url.strip()


def add_source(
    *,
    db_session: Session,
    name: str,
    kind: str,
    url: str,
    username: str | None = None,
    password_env: str | None = None,
    options: dict[str, Any] | None = None,
) -> SyncSource:
    """A new source (its name unique in this ledger)."""
    name = name.strip().lower()
    if not _NAME.match(name):
        raise ValidationError(
            f"{name!r}: a source's name is lower-case letters, digits, '.', '-' or '_'"
        )
    opts = dict(options or {})
    url = check_url(kind, url, plain=bool(opts.get("plain")))
    if password_env is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", password_env):
        raise ValidationError(f"{password_env!r} is not an environment variable's name")
    if db_session.scalar(select(SyncSource.id).where(SyncSource.name == name)) is not None:
        raise ValidationError(f"a sync source named {name!r} exists already")
    source = SyncSource(name=name, kind=kind, url=url, username=username or None,
                        password_env=password_env, options=opts, last_counts={})
    db_session.add(source)
    db_session.flush()
    return source


def get_source(*, db_session: Session, name: str) -> SyncSource:
    found = db_session.scalar(select(SyncSource).where(SyncSource.name == name.strip().lower()))
    if found is None:
        names = db_session.scalars(select(SyncSource.name).order_by(SyncSource.name)).all()
        known = f"; the sources are: {', '.join(names)}" if names else "; there are none yet"
        raise NotFoundError(f"no sync source named {name!r}{known}")
    return found


def list_sources(*, db_session: Session) -> list[SyncSource]:
    return list(db_session.scalars(select(SyncSource).order_by(SyncSource.name)))


def remove_source(*, db_session: Session, name: str) -> SyncSource:
    """Delete a source and its cursors (what it imported stays; ``import undo`` reverts runs)."""
    source = get_source(db_session=db_session, name=name)
    db_session.execute(delete(SyncCursor).where(SyncCursor.source_id == source.id))
    db_session.delete(source)
    db_session.flush()
    return source


def current_cursor(*, db_session: Session, source_id: int, collection: str) -> SyncCursor | None:
    """Where the last sync of ``collection`` that still counts got to: the newest cursor
    whose import run was not undone."""
    return db_session.scalar(
        select(SyncCursor)
        .outerjoin(ImportRun, ImportRun.id == SyncCursor.run_id)
        .where(SyncCursor.source_id == source_id, SyncCursor.collection == collection)
        .where((SyncCursor.run_id.is_(None)) | (ImportRun.undone.is_(False)))
        .order_by(SyncCursor.id.desc())
        .limit(1)
    )


def move_cursor(
    *,
    db_session: Session,
    source_id: int,
    collection: str,
    validity: str | None,
    position: str | None,
    modseq: int | None = None,
    state: dict[str, Any] | None = None,
    run_id: int | None = None,
) -> None:
    """Record where a sync got to (in the transaction of the run that read it)."""
    db_session.add(SyncCursor(source_id=source_id, collection=collection, validity=validity,
                              position=position, modseq=modseq, state=state or {},
                              run_id=run_id))
    db_session.flush()
    old = db_session.scalars(
        select(SyncCursor.id)
        .where(SyncCursor.source_id == source_id, SyncCursor.collection == collection)
        .order_by(SyncCursor.id.desc())
        .offset(KEEP_CURSORS)
    ).all()
    if old:
        db_session.execute(delete(SyncCursor).where(SyncCursor.id.in_(old)))


def record_outcome(
    *, db_session: Session, source_id: int, error: str | None, counts: dict[str, Any]
) -> None:
    """The last sync's time, status, error and figures (shown by ``sync list`` and the web)."""
    source = db_session.get(SyncSource, source_id)
    if source is None:
        return
    source.last_sync_at = dt.datetime.now(dt.UTC)
    source.last_status = "error" if error else "ok"
    source.last_error = error[:1000] if error else None
    source.last_counts = counts


__all__ = ["KINDS", "SUPPORTED", "SourceInfo", "add_source", "check_url", "current_cursor",
           "get_source", "is_loopback", "list_sources", "move_cursor", "record_outcome",
           "remove_source"]
