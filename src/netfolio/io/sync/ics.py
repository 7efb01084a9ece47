"""ICS subscription URLs (``webcal://``, ``https://``): a calendar feed read as the .ics
importer reads a file (:func:`netfolio.io.formats.ical.parse`: recurring events expanded,
declined and cancelled meetings skipped), incrementally by HTTP validators.

A sync asks with ``If-None-Match`` (the feed's last ETag) and ``If-Modified-Since``: an
unchanged feed costs one request and imports nothing; a feed whose bytes did not change
(same SHA-256) is not parsed again. A changed feed is imported as one run: events already
in the ledger are keyed (``ical:UID:occurrence``), so only new ones are added.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from netfolio.errors import SyncError
from netfolio.io.matching import Resolver
from netfolio.io.pipeline import ImportOptions, InputFile, Progress, run_import
from netfolio.io.sync.credentials import get_password
from netfolio.io.sync.sources import current_cursor, move_cursor

#: The largest feed read (bytes).
MAX_BYTES = 64 * 1024 * 1024


@dataclass
class Feed:
    """A fetched feed: its bytes (None when unchanged, HTTP 304) and validators."""

    data: bytes | None
    etag: str | None
    modified: str | None


def http_url(url: str) -> str:
    """``webcal://`` is ``https://`` (``webcals://`` too)."""
    for scheme in ("webcals://", "webcal://"):
        if url.startswith(scheme):
            return "https://" + url[len(scheme):]
    return url


def fetch_feed(*, name: str, url: str, username: str | None, env: str | None,
               options: dict[str, Any], etag: str | None, modified: str | None,
               timeout: float = 60.0) -> Feed:
    """GET the feed (conditionally); a one-line :class:`SyncError` naming the source."""
    request = urllib.request.Request(http_url(url), headers={"User-Agent": "netfolio-sync"})
    if etag:
        request.add_header("If-None-Match", etag)
    if modified:
        request.add_header("If-Modified-Since", modified)
    if username:
        password = get_password(name=name, url=url, username=username, env=env)
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    context = ssl.create_default_context(cafile=options.get("cafile"))
    if options.get("insecure"):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise SyncError(f"the feed is larger than {MAX_BYTES // 2**20} MB", source=name)
            return Feed(data, response.headers.get("ETag"),
                        response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Feed(None, etag, modified)
        if exc.code in (401, 403):
            raise SyncError(f"the server refused the login (HTTP {exc.code}: wrong password?)",
                            source=name) from exc
        raise SyncError(f"the server answered HTTP {exc.code} {exc.reason}", source=name) \
            from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise SyncError(
                f"the certificate is not trusted ({reason.verify_message}); add the source "
                "again with --cafile CERT, or --insecure", source=name) from exc
        raise SyncError(f"cannot reach {http_url(url)} ({reason})", source=name) from exc
    except TimeoutError as exc:
        raise SyncError(f"{http_url(url)} did not answer in {timeout:g} s", source=name) \
            from exc
    except OSError as exc:
        raise SyncError(f"the connection was lost ({exc})", source=name) from exc


def sync_ics(*, session: Any, report: Any, source_id: int, url: str, username: str | None,
             env: str | None, source_options: dict[str, Any], options: ImportOptions,
             resolver: Resolver | None, progress: Progress | None, timeout: float) -> None:
    """Fetch the feed if it changed and import its events as one run."""
    from netfolio.errors import ImportError_
    from netfolio.io.formats import ical

    name = report.source
    report.collections = [url]
    with session() as s:
        cursor = current_cursor(db_session=s, source_id=source_id, collection=url)
        state = dict(cursor.state or {}) if cursor else {}
    feed = fetch_feed(name=name, url=url, username=username, env=env, options=source_options,
                      etag=state.get("etag"), modified=state.get("modified"), timeout=timeout)
    if feed.data is None:
        return
    digest = hashlib.sha256(feed.data).hexdigest()
    if digest == state.get("sha256"):
        return
    try:
        parsed = ical.parse(feed.data, filename=name, **options.parser_options())
    except ImportError_ as exc:
        raise SyncError(f"the feed is not a calendar we can read ({exc.reason})", source=name) \
            from exc
    report.read += len(parsed.interactions) + len(parsed.skipped)
    if progress is not None:
        progress(name, 1, 1)
    item = InputFile(name=name, format="ics", sha256=digest, size=len(feed.data), result=parsed)
    with session() as s:
        imported = run_import(db_session=s, inputs=[item], options=options, resolver=resolver)
        move_cursor(db_session=s, source_id=source_id, collection=url, validity=None,
                    position=None, state={"etag": feed.etag, "modified": feed.modified,
                                          "sha256": digest}, run_id=imported.run_id)
    report.add(imported)


__all__ = ["Feed", "fetch_feed", "http_url", "sync_ics"]
