"""``netfolio sync test``: connect and log in to a source and say what a sync would read,
importing nothing."""

from __future__ import annotations

from typing import Any

from netfolio.errors import SyncError
from netfolio.io.sync import imap
from netfolio.io.sync.credentials import get_password
from netfolio.io.sync.run import SessionFactory
from netfolio.io.sync.sources import current_cursor, get_source


def probe_source(*, session: SessionFactory, name: str) -> dict[str, Any]:
    """``{"source", "kind", "ok", "collections": [{"name", "messages", "new"}]}``; raises
    :class:`SyncError` (one line, naming the source) when it cannot be read."""
    with session() as s:
        src = get_source(db_session=s, name=name)
        kind, source_id, url = src.kind, src.id, src.url
        username, env, opts = src.username, src.password_env, dict(src.options or {})
        name = src.name
    if kind == "ics":
        from netfolio.io.sync.ics import fetch_feed

        feed = fetch_feed(name=name, url=url, username=username, env=env, options=opts,
                          etag=None, modified=None)
        return {"source": name, "kind": kind, "ok": True,
                "collections": [{"name": url, "bytes": len(feed.data or b"")}]}
    if kind in ("caldav", "carddav"):
        return _probe_dav(name, kind, source_id, url, username, env, opts, session)
    password = get_password(name=name, url=url, username=username, env=env)
    client = imap.connect(name=name, url=url, username=username or "", password=password,
                          options=opts)
    try:
        try:
            folders = imap.choose_folders(client, opts.get("folders") or imap.folders_of(url))
        except ValueError as exc:
            raise SyncError(str(exc), source=name) from exc
        found = []
        for folder in folders:
            state = imap.folder_state(client, folder)
            with session() as s:
                cursor = current_cursor(db_session=s, source_id=source_id, collection=folder)
                first = (int(cursor.position or 0) + 1
                         if cursor and cursor.validity == str(state.validity) else 1)
            new = max((state.uidnext or first) - first, 0) if state.uidnext else None
            found.append({"name": folder, "messages": state.messages, "new": new})
        return {"source": name, "kind": kind, "ok": True, "collections": found,
                "condstore": bool(client.has_capability("CONDSTORE"))}
    finally:
        imap.close(client)


def _probe_dav(name: str, kind: str, source_id: int, url: str, username: str | None,
               env: str | None, opts: dict[str, Any], session: SessionFactory
               ) -> dict[str, Any]:
    """The calendars (address books) found, each with how many members it holds."""
    from netfolio.io.sync.dav import DavClient, NoSyncCollection

    password = get_password(name=name, url=url, username=username, env=env) if username \
        else None
    client = DavClient(name=name, username=username, password=password, options=opts)
    found = []
    for col in client.collections(url, kind):
        members = len(client.etags(col.url).etags)
        try:
            client.sync_collection(col.url, None)
            how = "sync-token"
        except NoSyncCollection:
            how = "ETags"
        found.append({"name": col.name, "url": col.url, "items": members, "by": how})
    return {"source": name, "kind": kind, "ok": True, "collections": found}


__all__ = ["probe_source"]
