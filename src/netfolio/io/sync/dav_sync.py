"""CalDAV calendars and CardDAV address books: what changed since the last sync, imported
as one run per collection.

**What changed.** ``REPORT sync-collection`` with the last sync-token (RFC 6578) gives the
members changed and deleted since; a server without it (or a token it no longer accepts) is
read by its members' ETags (``PROPFIND Depth: 1``), compared with those kept from the last
sync. The changed members' data comes by multiget, a hundred per request.

**Calendars** are read by the .ics importer (:func:`netfolio.io.formats.ical.parse`, the
changed events together as one calendar): recurring events expanded, cancelled events and
meetings you declined skipped, one interaction per occurrence keyed ``ical:UID[:occurrence]``
(so a sync and an import of the same calendar agree). An event deleted on the server, or
changed so that an occurrence is gone, moved, cancelled or declined, has those interactions
removed in the run (undo puts them back). An event with occurrences still to come is read
again at the first sync after the next one is due.

**Address books** are read by the vCard importer (:func:`netfolio.io.formats.vcard.parse`)
and go through the import pipeline: matched into people by the identity rules, new facts
filled, possible duplicates proposed. A contact deleted on the server leaves the person in
the ledger (the address book is one source among others).

A member whose data cannot be read is skipped, counted and reported; the rest goes on.

**What is kept** per collection, in its cursors (:class:`~netfolio.core.models.SyncCursor`):
the sync-token, and per member its ETag, its event's UID and when its next occurrence is
due, each cursor holding what changed since the one before (a whole copy every
:data:`FULL_EVERY` cursors), so undoing a sync's run makes the next sync start from the
cursor before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from sqlalchemy import or_, select

from netfolio.core.interactions import to_epoch
from netfolio.core.models import ImportRun, Interaction, SyncCursor
from netfolio.errors import ImportError_, SyncError
from netfolio.io.matching import Resolver
from netfolio.io.pipeline import ImportOptions, InputFile, Progress, run_import
from netfolio.io.records import ParseResult, SourceRef
from netfolio.io.sync.credentials import get_password
from netfolio.io.sync.dav import Changes, Collection, DavClient, NoSyncCollection, TokenRefused
from netfolio.io.sync.removals import log_removed, remove_interactions
from netfolio.io.sync.sources import move_cursor

#: A cursor holds the whole member map (not only what changed) every this many cursors.
FULL_EVERY = 20
#: Member map entry: [etag, uid, due epoch or None]
Member = list[Any]

_UNFOLD = re.compile(r"\n[ \t]")
_BEGIN_END = re.compile(r"^(BEGIN|END):([^\n]*)", re.MULTILINE | re.IGNORECASE)
_UID = re.compile(r"^UID(?:;[^:\n]*)?:([^\n]*)", re.MULTILINE | re.IGNORECASE)
_DTSTART = re.compile(r"^DTSTART(?:;[^:\n]*)?:(\d{8})", re.MULTILINE | re.IGNORECASE)
_REPEATS = re.compile(r"^(?:RRULE|RDATE)[;:]", re.MULTILINE | re.IGNORECASE)
_VTIMEZONE = re.compile(r"^BEGIN:VTIMEZONE\n.*?^END:VTIMEZONE\n?",
                        re.MULTILINE | re.DOTALL | re.IGNORECASE)
_TZID = re.compile(r"^TZID[;:]([^\n]*)", re.MULTILINE | re.IGNORECASE)
_VCAL_WRAP = re.compile(
    r"^(?:BEGIN:VCALENDAR|END:VCALENDAR|VERSION:[^\n]*|PRODID:[^\n]*|CALSCALE:[^\n]*"
    r"|METHOD:[^\n]*)\n?", re.MULTILINE | re.IGNORECASE)


def members_of(*, db_session: Any, source_id: int, collection: str
               ) -> tuple[dict[str, Member], str | None, int]:
    """The member map, the sync-token and the cursors since the last whole copy, as the
    cursors not undone say: the newest whole copy, then each later delta in order."""
    rows = db_session.execute(
        select(SyncCursor.state, SyncCursor.position)
        .outerjoin(ImportRun, ImportRun.id == SyncCursor.run_id)
        .where(SyncCursor.source_id == source_id, SyncCursor.collection == collection)
        .where((SyncCursor.run_id.is_(None)) | (ImportRun.undone.is_(False)))
        .order_by(SyncCursor.id)
    ).all()
    start = max((i for i, r in enumerate(rows) if (r.state or {}).get("full")), default=None)
    if start is None:
        return {}, None, 0  # no whole copy to start from: read everything again
    members: dict[str, Member] = {}
    token = None
    for state, position in rows[start:]:
        state = state or {}
        if state.get("full"):
            members = {}
        members.update(state.get("members", {}))
        for gone in state.get("gone", []):
            members.pop(gone, None)
        token = position
    return members, token, len(rows) - start


def changes_of(client: DavClient, col: Collection, token: str | None,
               known: dict[str, Member]) -> tuple[Changes, bool]:
    """What changed in ``col`` since ``token``; and whether the server did sync-collection.
    Members already known with the same ETag are left out; with a whole listing, the known
    members not in it are gone."""
    try:
        try:
            changes = client.sync_collection(col.url, token)
        except TokenRefused:
            changes = client.sync_collection(col.url, None)
        by_token = True
    except NoSyncCollection:
        changes, by_token = client.etags(col.url), False
    if changes.full:
        changes.gone = [k for k in known if k not in changes.etags]
    changes.etags = {k: e for k, e in changes.etags.items()
                     if k not in known or not e or known[k][0] != e}
    return changes, by_token


def sync_dav(*, session: Any, report: Any, source_id: int, url: str, username: str | None,
             env: str | None, source_options: dict[str, Any], options: ImportOptions,
             resolver: Resolver | None, progress: Progress | None, timeout: float,
             kind: str, now: dt.datetime | None = None) -> None:
    """Sync every calendar (``caldav``) or address book (``carddav``) of the source."""
    name = report.source
    password = get_password(name=name, url=url, username=username, env=env) if username \
        else None
    client = DavClient(name=name, username=username, password=password,
                       options=source_options, timeout=timeout)
    collections = client.collections(url, kind)
    report.collections = [c.name for c in collections]
    for col in collections:
        _sync_collection(session, report, client, source_id, col, kind, options, resolver,
                         progress, now or dt.datetime.now(dt.UTC))


def _sync_collection(session: Any, report: Any, client: DavClient, source_id: int,
                     col: Collection, kind: str, options: ImportOptions,
                     resolver: Resolver | None, progress: Progress | None,
                     now: dt.datetime) -> None:
    name = report.source
    label = f"{name}/{col.name}"
    with session() as s:
        known, token, since_full = members_of(db_session=s, source_id=source_id,
                                               collection=col.url)
    changes, by_token = changes_of(client, col, token, known)
    stamp = now.timestamp()
    due = [k for k, m in known.items() if m[2] is not None and m[2] <= stamp
           and k not in changes.etags and k not in changes.gone]
    wanted = sorted({*changes.etags, *due})
    if not wanted and not changes.gone and (changes.token == token or not by_token):
        return  # nothing changed
    fetched: dict[str, tuple[str, bytes]] = {}
    gone = set(changes.gone)
    for i, (path, etag, data) in enumerate(client.multiget(col.url, kind, wanted), start=1):
        if data is None:
            gone.add(path)
        else:
            fetched[path] = (etag or changes.etags.get(path) or "", data)
        if progress is not None and (i % 100 == 0 or i == len(wanted)):
            progress(label, i, len(wanted))
    report.read += len(fetched)
    gone = {g for g in gone if g in known}
    if not fetched and not gone:  # a new token, nothing to import: no empty run
        with session() as s:
            move_cursor(db_session=s, source_id=source_id, collection=col.url, validity=None,
                        position=changes.token if by_token else None,
                        state={"members": known, "full": True} if not known or
                        since_full >= FULL_EVERY else {"members": {}, "gone": []})
        return
    updates: dict[str, Member] = {}
    if kind == "caldav":
        parsed, updates, uids = _read_events(fetched, label, options, now)
        touched = {known[g][1] for g in gone if known[g][1]}
        touched |= {known[p][1] for p in fetched if p in known and known[p][1]}
        touched |= set(uids)
    else:
        parsed, updates = _read_cards(fetched, label)
        touched = set()
    digest = hashlib.sha256(f"{label}:{changes.token}:{sorted(fetched)}".encode()).hexdigest()
    item = InputFile(name=label, format=kind, sha256=digest,
                     size=sum(len(d) for _e, d in fetched.values()), result=parsed)
    full = not known or since_full >= FULL_EVERY
    with session() as s:
        removed = _stale(s, touched, parsed) if touched else []
        dropped = remove_interactions(db_session=s, ids=removed)
        imported = run_import(db_session=s, inputs=[item], options=options, resolver=resolver)
        if imported.run_id is not None and dropped:
            log_removed(db_session=s, run_id=imported.run_id, removed=dropped)
            run = s.get(ImportRun, imported.run_id)
            if run is not None:
                run.counts = {**(run.counts or {}), "interactions_removed": len(dropped)}
        members = {**known, **updates} if full else updates
        for g in gone:
            members.pop(g, None)
        state: dict[str, Any] = {"members": members, "by_token": by_token}
        if full:
            state["full"] = True
        else:
            state["gone"] = sorted(gone)
        move_cursor(db_session=s, source_id=source_id, collection=col.url, validity=None,
                    position=changes.token if by_token else None, state=state,
                    run_id=imported.run_id)
    report.add(imported)
    report.interactions_removed += len(dropped)


def _read_events(fetched: dict[str, tuple[str, bytes]], label: str, options: ImportOptions,
                 now: dt.datetime) -> tuple[ParseResult, dict[str, Member], list[str]]:
    """The fetched events as one calendar, read by the .ics importer; the member map's new
    entries; the UIDs read. A member that is not a calendar is skipped and counted (its
    entry is not updated: it is read again next time).

    Each member is read as text (its UID, whether it repeats or starts after ``now``); only
    those that repeat or are still to come are parsed alone (for when they are due). The
    members are parsed together, once, by the importer; when that fails, each is checked
    alone and the unreadable ones are left out."""
    from netfolio.io.formats import ical

    texts: dict[str, str] = {}
    updates: dict[str, Member] = {}
    uids: list[str] = []
    bad = ParseResult(format=ical.NAME)
    for n, (path, (etag, data)) in enumerate(sorted(fetched.items()), start=1):
        text = _UNFOLD.sub("", data.decode("utf-8", errors="replace").replace("\r\n", "\n"))
        problem = _structure(text)
        if problem:  # read together with the others, it would swallow the next one
            bad.skip("unreadable calendar object", SourceRef(label, item=n),
                     f"{path}: {problem}")
            continue
        found = _UID.search(text)
        uid = found.group(1).strip() if found else ""
        texts[path] = text
        updates[path] = [etag, uid or None, None]
        if "BEGIN:VEVENT" in text.upper():
            uids.append(uid)
    parsed = None
    try:
        parsed = _parse_together(list(texts.values()), label, options, now, ical)
    except ImportError_:
        for n, (path, text) in enumerate(sorted(texts.items()), start=1):
            try:
                _parse_together([text], label, options, now, ical)
            except ImportError_ as exc:
                bad.skip("unreadable calendar object", SourceRef(label, item=n),
                         f"{path}: {exc.reason}"[:300])
                del texts[path], updates[path]
        uids = [updates[p][1] or "" for p in texts if "BEGIN:VEVENT" in texts[p].upper()]
        try:
            parsed = _parse_together(list(texts.values()), label, options, now, ical)
        except ImportError_ as exc:
            raise SyncError(f"{label}: the events cannot be read ({exc.reason})",
                            source=label.split("/")[0]) from exc
    for path, text in texts.items():
        if _may_be_due(text, now):
            updates[path][2] = _next_due(text, now)
    parsed.skipped[:0] = bad.skipped
    return parsed, updates, uids


def _structure(text: str) -> str | None:
    """What is wrong with a calendar object's BEGIN and END lines, if anything."""
    stack: list[str] = []
    for m in _BEGIN_END.finditer(text):
        what, name = m.group(1).upper(), m.group(2).strip().upper()
        if what == "BEGIN":
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f"END:{name} without its BEGIN"
    if stack:
        return f"BEGIN:{stack[-1]} without its END"
    return None if "BEGIN:VCALENDAR" in text.upper() else "no BEGIN:VCALENDAR"


def _parse_together(texts: list[str], label: str, options: ImportOptions, now: dt.datetime,
                    ical: Any) -> Any:
    """Calendar objects as one VCALENDAR (their time zones once each), read by the .ics
    importer with the user's addresses fixed."""
    zones: dict[str, str] = {}
    parts: list[str] = []
    for text in texts:
        for zone in _VTIMEZONE.findall(text):
            tzid = _TZID.search(zone)
            zones.setdefault(tzid.group(1).strip() if tzid else zone, zone.strip("\n") + "\n")
        body = _VTIMEZONE.sub("", _VCAL_WRAP.sub("", text)).strip("\n")
        if body:
            parts.append(body + "\n")
    whole = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//netfolio sync//EN\n"
             + "".join(zones.values()) + "".join(parts) + "END:VCALENDAR\n")
    return ical.parse(whole.encode(), filename=label,
                      **{**options.parser_options(), "infer_me": False, "until": now})


def _may_be_due(text: str, now: dt.datetime) -> bool:
    """Whether an event may still have an occurrence after ``now``: it repeats, or it starts
    after yesterday (read from the text; the exact answer needs it parsed)."""
    if _REPEATS.search(text):
        return True
    found = _DTSTART.search(text)
    if found is None:
        return False
    return found.group(1) >= (now - dt.timedelta(days=1)).strftime("%Y%m%d")


def _next_due(text: str, now: dt.datetime) -> float | None:
    """When the event's next occurrence after ``now`` starts (epoch), if it has one: the
    sync reads it again then, so it becomes an interaction once it happened. Beyond a year:
    a year from now (it is looked at again then)."""
    import icalendar
    import recurring_ical_events as recurring

    from netfolio.io.formats.ical import _runaway

    horizon = now + dt.timedelta(days=366)
    try:
        cal = icalendar.Calendar.from_ical(text)
        events = cal.walk("VEVENT")
        if any(_runaway(ev, horizon) for ev in events):
            return None  # a rule the importer skips (INTERVAL=0 would never end)
        starts = [_epoch(o.decoded("DTSTART"))
                  for o in recurring.of(cal, skip_bad_series=True).between(now, horizon)]
        if starts:
            return min(starts)
        for ev in events:
            rule = ev.get("RRULE")
            if (rule and not rule.get("UNTIL") and not rule.get("COUNT")) or \
                    _epoch(ev.decoded("DTSTART")) > horizon.timestamp():
                return horizon.timestamp()
    except Exception:  # malformed rules: the importer skips them too
        return None
    return None


def _epoch(start: Any) -> float:
    if not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC)
    elif start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
    return float(start.timestamp())


def _read_cards(fetched: dict[str, tuple[str, bytes]], label: str
                ) -> tuple[ParseResult, dict[str, Member]]:
    """The fetched cards as one .vcf, read by the vCard importer (a broken card is skipped
    and counted by it)."""
    from netfolio.io.formats import vcard

    updates: dict[str, Member] = {}
    texts = []
    for path, (etag, data) in sorted(fetched.items()):
        updates[path] = [etag, None, None]
        texts.append(data.decode("utf-8", errors="replace").strip())
    if not texts:
        return ParseResult(format=vcard.NAME), updates
    parsed = vcard.parse("\r\n".join(texts).encode() + b"\r\n", filename=label)
    return parsed, updates


def _stale(s: Any, uids: set[str], parsed: ParseResult) -> list[int]:
    """The interactions of events ``uids`` that the new reading no longer has, or has at
    another time: to remove (those at another time are added again by the import)."""
    fresh: dict[str, int] = {}
    for rec in parsed.interactions:
        at = to_epoch(rec.at.date() if rec.date_only else rec.at)[0]
        fresh[rec.key] = at
    keys = sorted(f"ical:{u}" for u in uids if u)
    found: list[int] = []
    for lo in range(0, len(keys), 200):
        part = keys[lo : lo + 200]
        conditions = [Interaction.source_key.in_(part)]
        conditions += [Interaction.source_key.like(_like(k) + ":%", escape="\\") for k in part]
        for iid, key, at in s.execute(select(Interaction.id, Interaction.source_key,
                                             Interaction.at).where(or_(*conditions))):
            stale = key not in fresh or fresh[key] != at
            if stale and (key in part or _is_occurrence(key, part)):
                found.append(iid)
    return found


def _is_occurrence(key: str, bases: list[str]) -> bool:
    """``ical:UID:2026-03-02T10:00:00+00:00`` belongs to ``ical:UID`` (not to a UID that
    merely starts the same)."""
    for b in bases:
        if key.startswith(b + ":"):
            rest = key[len(b) + 1:]
            try:
                dt.datetime.fromisoformat(rest)
                return True
            except ValueError:
                try:
                    dt.date.fromisoformat(rest)
                    return True
                except ValueError:
                    continue
    return False


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


__all__ = ["FULL_EVERY", "changes_of", "members_of", "sync_dav"]
