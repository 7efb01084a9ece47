"""A small WebDAV client for CalDAV (RFC 4791) and CardDAV (RFC 6352): the standard library's
``urllib`` and ``xml.etree``, no third-party DAV package (see docs/sync.md, "Why no CalDAV
library").

Four requests are all a sync needs:

- ``PROPFIND`` to find the collections: the URL itself when it is a calendar (address book),
  else the user's principal, its calendar (address book) home, and the collections in it;
- ``REPORT sync-collection`` (RFC 6578): what changed since a sync-token, with ETags, and
  what was deleted (a 404 per member);
- ``PROPFIND Depth: 1`` of ``getetag``: every member's ETag, where the server has no
  sync-collection (the ETag fallback: changed and deleted members found by comparing);
- ``REPORT calendar-multiget`` (``addressbook-multiget``): the changed members' data, a
  hundred per request.

Errors are one-line :class:`~netfolio.errors.SyncError` s naming the source: refused login,
unreachable server, untrusted certificate, a lost connection.
"""

from __future__ import annotations

import base64
import http.client
import ssl
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from netfolio.errors import SyncError

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
#: Members per multiget request.
MULTIGET = 100
#: The largest response read (bytes).
MAX_BYTES = 128 * 1024 * 1024
#: What a lost connection raises under urllib.
LOST = (http.client.HTTPException, ConnectionError, OSError)

_NS = {"d": DAV, "c": CALDAV, "a": CARDDAV}
#: Per kind: (namespace, resource type, home-set property, multiget report, data property)
_KIND = {
    "caldav": (CALDAV, "calendar", "calendar-home-set", "calendar-multiget", "calendar-data"),
    "carddav": (CARDDAV, "addressbook", "addressbook-home-set", "addressbook-multiget",
                "address-data"),
}


class TokenRefused(Exception):
    """The server no longer accepts the sync-token (RFC 6578 ``valid-sync-token``)."""


class NoSyncCollection(Exception):
    """The server has no sync-collection REPORT for this collection."""


@dataclass
class Collection:
    """A calendar or an address book: its URL and the name it shows."""

    url: str
    name: str


@dataclass
class Changes:
    """What changed in a collection: members' ETags (new or changed), members gone, and the
    new sync-token (None with the ETag fallback); ``full`` when this is every member."""

    etags: dict[str, str] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    token: str | None = None
    full: bool = False


@dataclass
class Response:
    status: int
    headers: Any
    data: bytes


def path_of(href: str, base: str) -> str:
    """A member's key: its URL's path, decoded (servers quote hrefs differently)."""
    return unquote(urlsplit(urljoin(base, href.strip())).path)


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip()


def _status(element: ET.Element) -> int | None:
    """``HTTP/1.1 404 Not Found`` → 404."""
    text = _text(element.find("d:status", _NS))
    if not text:
        return None
    parts = text.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _xml(data: bytes, what: str, name: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise SyncError(f"the server's answer to {what} is not XML we can read ({exc})",
                        source=name) from exc


def _props(response: ET.Element) -> dict[str, ET.Element]:
    """The properties of one ``d:response`` found with status 200, by tag."""
    found: dict[str, ET.Element] = {}
    for propstat in response.findall("d:propstat", _NS):
        code = _status(propstat)
        if code is not None and code != 200:
            continue
        prop = propstat.find("d:prop", _NS)
        if prop is not None:
            for child in prop:
                found[child.tag] = child
    return found


class DavClient:
    """One source's WebDAV connection settings: Basic authentication, TLS as the source says."""

    def __init__(self, *, name: str, username: str | None, password: str | None,
                 options: dict[str, Any], timeout: float = 60.0) -> None:
        self.name = name
        self.timeout = timeout
        self.auth = None
        if username:
            token = base64.b64encode(f"{username}:{password or ''}".encode()).decode()
            self.auth = f"Basic {token}"
        self.context = ssl.create_default_context(cafile=options.get("cafile"))
        if options.get("insecure"):
            self.context.check_hostname = False
            self.context.verify_mode = ssl.CERT_NONE

    # -- requests ---------------------------------------------------------------------------

    def request(self, method: str, url: str, body: bytes | None = None, *,
                depth: str | None = None, ok: Sequence[int] = (200, 207),
                redirects: int = 3) -> Response:
        """One request; a :class:`SyncError` for a refused login, an unreachable server or an
        untrusted certificate. Statuses outside ``ok`` are returned, not raised."""
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"User-Agent": "netfolio-sync"})
        if body is not None:
            request.add_header("Content-Type", "application/xml; charset=utf-8")
        if depth is not None:
            request.add_header("Depth", depth)
        if self.auth:
            request.add_header("Authorization", self.auth)
        where = f"{urlsplit(url).hostname}:{urlsplit(url).port or ''}".rstrip(":")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout,
                                        context=self.context) as answer:
                data = answer.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise SyncError(f"{method} {url}: an answer larger than "
                                    f"{MAX_BYTES // 2**20} MB", source=self.name)
                return Response(int(answer.status), answer.headers, data)
        except urllib.error.HTTPError as exc:
            code = exc.code
            if code in (401, 403) and code not in ok and method == "PROPFIND":
                raise SyncError(f"the server refused the login (HTTP {code}: wrong password?)",
                                source=self.name) from exc
            if code == 401:
                raise SyncError("the server refused the login (HTTP 401: wrong password?)",
                                source=self.name) from exc
            location = exc.headers.get("Location") if exc.headers else None
            if code in (301, 302, 307, 308) and location and redirects:
                return self.request(method, urljoin(url, location), body, depth=depth, ok=ok,
                                    redirects=redirects - 1)
            try:
                data = exc.read(1 << 20)
            except Exception:
                data = b""
            return Response(code, exc.headers, data)
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise SyncError(
                    f"the certificate of {where} is not trusted ({reason.verify_message}); "
                    "add the source again with --cafile CERT, or --insecure", source=self.name,
                ) from exc
            raise SyncError(f"cannot reach {where} ({reason})", source=self.name) from exc
        except TimeoutError as exc:
            raise SyncError(f"{where} did not answer in {self.timeout:g} s",
                            source=self.name) from exc
        except LOST as exc:
            raise SyncError(f"the connection to {where} was lost ({exc}); what was saved "
                            "stays, and the next sync resumes from there",
                            source=self.name) from exc

    def _expect(self, response: Response, what: str) -> ET.Element:
        if response.status not in (200, 207):
            raise SyncError(f"{what}: the server answered HTTP {response.status}",
                            source=self.name)
        return _xml(response.data, what, self.name)

    def propfind(self, url: str, props: str, depth: str) -> ET.Element:
        body = (f'<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" '
                f'xmlns:c="{CALDAV}" xmlns:a="{CARDDAV}"><d:prop>{props}</d:prop>'
                "</d:propfind>").encode()
        return self._expect(self.request("PROPFIND", url, body, depth=depth),
                            f"PROPFIND {url}")

    # -- finding the collections -------------------------------------------------------------

    def collections(self, url: str, kind: str) -> list[Collection]:
        """The calendars (address books) of ``url``: itself when it is one, else those in
        the home of the user it names (its principal)."""
        ns, rtype, home_prop, _report, _data = _KIND[kind]
        tag = f"{{{ns}}}{rtype}"
        root = self.propfind(url, "<d:resourcetype/><d:displayname/>"
                             "<d:current-user-principal/>", "0")
        response = root.find("d:response", _NS)
        props = _props(response) if response is not None else {}
        rt = props.get(f"{{{DAV}}}resourcetype")
        if rt is not None and rt.find(tag) is not None:
            return [Collection(url, _text(props.get(f"{{{DAV}}}displayname")) or
                               unquote(urlsplit(url).path))]
        principal = props.get(f"{{{DAV}}}current-user-principal")
        href = _text(principal.find("d:href", _NS)) if principal is not None else None
        if not href:
            raise SyncError(f"{url} is not a {'calendar' if kind == 'caldav' else 'address book'}"
                            " and names no user (principal): give the collection's URL",
                            source=self.name)
        root = self.propfind(urljoin(url, href), f"<{'c' if kind == 'caldav' else 'a'}:"
                             f"{home_prop}/>", "0")
        homes = [urljoin(url, _text(h) or "") for prop in root.iter(f"{{{ns}}}{home_prop}")
                 for h in prop.iter(f"{{{DAV}}}href") if _text(h)]
        found: list[Collection] = []
        for home in dict.fromkeys(homes):
            listing = self.propfind(home, "<d:resourcetype/><d:displayname/>"
                                    "<c:supported-calendar-component-set/>", "1")
            for each in listing.findall("d:response", _NS):
                props = _props(each)
                rt = props.get(f"{{{DAV}}}resourcetype")
                if rt is None or rt.find(tag) is None:
                    continue
                comps = props.get(f"{{{CALDAV}}}supported-calendar-component-set")
                if comps is not None and len(comps) and not any(
                        c.get("name", "").upper() == "VEVENT" for c in comps):
                    continue  # a task list
                member = urljoin(home, _text(each.find("d:href", _NS)) or "")
                found.append(Collection(member, _text(props.get(f"{{{DAV}}}displayname"))
                                        or unquote(urlsplit(member).path)))
        if not found:
            raise SyncError(f"no {'calendar' if kind == 'caldav' else 'address book'} "
                            f"found under {url}", source=self.name)
        return found

    # -- what changed ------------------------------------------------------------------------

    def sync_collection(self, url: str, token: str | None) -> Changes:
        """RFC 6578: the members changed (with ETags) and gone since ``token`` (every member
        when None). Raises :class:`TokenRefused` when the token is no longer valid and
        :class:`NoSyncCollection` when the server has no such report."""
        token_xml = f"<d:sync-token>{_escape(token)}</d:sync-token>" if token else \
            "<d:sync-token/>"
        body = ('<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:">'
                f"{token_xml}<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>"
                "</d:sync-collection>").encode()
        response = self.request("REPORT", url, body, depth="0")
        if response.status in (403, 409) and token and (
                b"valid-sync-token" in response.data or response.status == 409):
            raise TokenRefused(response.status)
        if response.status in (400, 403, 404, 405, 415, 501) or (
                response.status == 207 and b"sync-token" not in response.data):
            raise NoSyncCollection(response.status)
        root = self._expect(response, f"REPORT sync-collection {url}")
        changes = Changes(token=_text(root.find("d:sync-token", _NS)), full=token is None)
        own = path_of(url, url)
        for each in root.findall("d:response", _NS):
            href = _text(each.find("d:href", _NS))
            if not href:
                continue
            key = path_of(href, url)
            if key.rstrip("/") == own.rstrip("/"):
                continue
            if _status(each) == 404:
                changes.gone.append(key)
                continue
            etag = _text(_props(each).get(f"{{{DAV}}}getetag"))
            changes.etags[key] = etag or ""
        return changes

    def etags(self, url: str) -> Changes:
        """Every member's ETag (PROPFIND Depth 1): the fallback without sync-collection."""
        root = self.propfind(url, "<d:getetag/><d:resourcetype/>", "1")
        changes = Changes(full=True)
        own = path_of(url, url)
        for each in root.findall("d:response", _NS):
            href = _text(each.find("d:href", _NS))
            if not href or path_of(href, url).rstrip("/") == own.rstrip("/"):
                continue
            props = _props(each)
            rt = props.get(f"{{{DAV}}}resourcetype")
            if rt is not None and len(rt):
                continue  # a sub-collection
            changes.etags[path_of(href, url)] = _text(props.get(f"{{{DAV}}}getetag")) or ""
        return changes

    def multiget(self, url: str, kind: str, paths: Sequence[str]
                 ) -> Iterator[tuple[str, str | None, bytes | None]]:
        """``(path, etag, data)`` of each member asked for (data None when it is gone), a
        :data:`MULTIGET` per request."""
        ns, _rtype, _home, report, data_prop = _KIND[kind]
        prefix = "c" if kind == "caldav" else "a"
        for lo in range(0, len(paths), MULTIGET):
            part = paths[lo : lo + MULTIGET]
            hrefs = "".join(f"<d:href>{_escape(quote(p))}</d:href>" for p in part)
            body = (f'<?xml version="1.0" encoding="utf-8"?><{prefix}:{report} xmlns:d="DAV:" '
                    f'xmlns:{prefix}="{ns}"><d:prop><d:getetag/><{prefix}:{data_prop}/>'
                    f"</d:prop>{hrefs}</{prefix}:{report}>").encode()
            root = self._expect(self.request("REPORT", url, body, depth="1"),
                                f"REPORT {report} {url}")
            seen: set[str] = set()
            for each in root.findall("d:response", _NS):
                href = _text(each.find("d:href", _NS))
                if not href:
                    continue
                path = path_of(href, url)
                seen.add(path)
                props = _props(each)
                data = props.get(f"{{{ns}}}{data_prop}")
                if _status(each) == 404 or data is None or data.text is None:
                    yield path, None, None
                    continue
                yield path, _text(props.get(f"{{{DAV}}}getetag")), data.text.encode("utf-8")
            for path in part:
                if path not in seen:
                    yield path, None, None


def _escape(text: str | None) -> str:
    from xml.sax.saxutils import escape

    return escape(text or "")


__all__ = ["CALDAV", "CARDDAV", "MULTIGET", "Changes", "Collection", "DavClient",
           "NoSyncCollection", "TokenRefused", "path_of"]
