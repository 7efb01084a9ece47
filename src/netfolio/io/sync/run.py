"""One source's sync: read what changed on the server, import it, move the cursor.

IMAP, per folder: one STATUS says whether anything is new (UIDVALIDITY, UIDNEXT and, with
CONDSTORE, HIGHESTMODSEQ, against the cursor); the new messages' header blocks are fetched
in UID batches and read by the mbox importer's :func:`~netfolio.io.formats.mbox.read_mail`
(lists, bulk, automated and many-recipient mail skipped exactly as in an mbox import; the
same interaction keys, so a message seen by both is one interaction). Every ``chunk``
messages become one import run through :func:`~netfolio.io.pipeline.run_import`, committed
with the cursor that says how far it got: a connection cut mid-sync keeps the runs already
committed and the next sync resumes after them; memory holds one chunk at a time.

A changed UIDVALIDITY means the server renumbered the folder: it is read again from the
start, and nothing is added twice (interactions are keyed by thread, day and person, people
matched by address).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from netfolio.core.shapes import Plain
from netfolio.errors import NetfolioError, SyncError
from netfolio.io.formats import mbox
from netfolio.io.matching import Resolver
from netfolio.io.normalise import email_key
from netfolio.io.pipeline import ImportOptions, ImportReport, InputFile, Progress, run_import
from netfolio.io.records import ParseResult, SourceRef
from netfolio.io.sync import imap
from netfolio.io.sync.credentials import get_password
from netfolio.io.sync.sources import (
    SUPPORTED,
    current_cursor,
    get_source,
    move_cursor,
    record_outcome,
)

SessionFactory = Callable[[], AbstractContextManager[Session]]
#: Messages per import run (and per commit) on a first sync of a large mailbox.
CHUNK = 5000


@dataclass
class SyncReport(Plain):
    """What one source's sync did: per source, the figures of its runs added up."""

    source: str
    kind: str
    collections: list[str] = field(default_factory=list)
    #: messages (or calendar events) read from the server
    read: int = 0
    runs: list[int] = field(default_factory=list)
    new_people: int = 0
    updated_people: int = 0
    interactions_added: int = 0
    #: calendar events deleted, cancelled or declined on the server since the last sync
    interactions_removed: int = 0
    possible_duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_examples: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: folders read again from the start (their UIDVALIDITY changed)
    resynced: list[str] = field(default_factory=list)
    error: str | None = None
    json_extra = ("summary",)

    @property
    def summary(self) -> str:
        if self.error:
            return self.error
        parts = [f"{self.read} read", f"{self.new_people} new people",
                 f"{self.interactions_added} interactions added"]
        if self.interactions_removed:
            parts.append(f"{self.interactions_removed} removed")
        skipped = sum(self.skipped.values())
        if skipped:
            parts.append(f"{skipped} skipped")
        if self.possible_duplicates:
            parts.append(f"{self.possible_duplicates} possible duplicates")
        return ", ".join(parts)

    def add(self, report: ImportReport) -> None:
        if report.run_id is not None:
            self.runs.append(report.run_id)
        self.new_people += report.new
        self.updated_people += report.updated
        self.interactions_added += report.interactions_added
        self.possible_duplicates += len(report.possible_duplicates)
        for reason, n in report.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + n
        room = 20 - len(self.skipped_examples)
        self.skipped_examples.extend(report.skipped_examples[: max(room, 0)])
        self.warnings.extend(report.warnings[: max(50 - len(self.warnings), 0)])

    def counts(self) -> dict[str, Any]:
        """The figures kept with the source (``sync list``, the settings page)."""
        return {"read": self.read, "new_people": self.new_people,
                "interactions_added": self.interactions_added,
                "interactions_removed": self.interactions_removed, "runs": len(self.runs),
                "skipped": dict(self.skipped), "resynced": list(self.resynced)}



def sync_source(
    *,
    session: SessionFactory,
    name: str,
    options: ImportOptions,
    resolver: Resolver | None = None,
    progress: Progress | None = None,
    chunk: int = CHUNK,
    batch: int = imap.BATCH,
    timeout: float = imap.TIMEOUT,
) -> SyncReport:
    """Sync source ``name``: import what is new on its server, in runs of at most ``chunk``
    messages, each committed with its cursor. Raises :class:`SyncError` (naming the source)
    when the server cannot be read; what was committed before stays."""
    with session() as s:
        src = get_source(db_session=s, name=name)
        kind, source_id, url = src.kind, src.id, src.url
        username, env, opts = src.username, src.password_env, dict(src.options or {})
        name = src.name
    report = SyncReport(source=name, kind=kind)
    try:
        if kind not in SUPPORTED:
            raise SyncError(f"{kind} sources are not synced by this version", source=name)
        if kind == "imap":
            _sync_imap(session, report, source_id, url, username, env, opts, options,
                       resolver, progress, chunk, batch, timeout)
        elif kind in ("caldav", "carddav"):
            from netfolio.io.sync.dav_sync import sync_dav

            sync_dav(session=session, report=report, source_id=source_id, url=url,
                     username=username, env=env, source_options=opts, options=options,
                     resolver=resolver, progress=progress, timeout=timeout, kind=kind)
        else:
            from netfolio.io.sync.ics import sync_ics

            sync_ics(session=session, report=report, source_id=source_id, url=url,
                     username=username, env=env, source_options=opts, options=options,
                     resolver=resolver, progress=progress, timeout=timeout)
    except NetfolioError as exc:
        report.error = str(exc)
        with session() as s:
            record_outcome(db_session=s, source_id=source_id, error=str(exc),
                           counts=report.counts())
        raise
    with session() as s:
        record_outcome(db_session=s, source_id=source_id, error=None, counts=report.counts())
    return report


def me_of(options: ImportOptions, username: str | None, source_options: dict[str, Any],
          name: str) -> list[str]:
    """The user's addresses for this source: the ledger's, the source's ``me`` and its login
    when that is an address. Without one, mail cannot say who wrote to whom."""
    found = [*options.me_emails, *source_options.get("me", [])]
    if username and "@" in username:
        found.append(username)
    me = list(dict.fromkeys(e for e in (email_key(x) for x in found) if e))
    if not me:
        raise SyncError(
            "netfolio does not know your email address: run netfolio init --email YOU, "
            "or add the source with --me YOU", source=name,
        )
    return me


def _sync_imap(
    session: SessionFactory, report: SyncReport, source_id: int, url: str,
    username: str | None, env: str | None, opts: dict[str, Any], options: ImportOptions,
    resolver: Resolver | None, progress: Progress | None, chunk: int, batch: int,
    timeout: float,
) -> None:
    name = report.source
    me = me_of(options, username, opts, name)
    password = get_password(name=name, url=url, username=username, env=env)
    client = imap.connect(name=name, url=url, username=username or "", password=password,
                          options=opts, timeout=timeout)
    try:
        try:
            folders = imap.choose_folders(client, opts.get("folders") or imap.folders_of(url))
        except ValueError as exc:
            raise SyncError(str(exc), source=name) from exc
        except imap.LOST as exc:
            raise _lost(report, exc) from exc
        report.collections = folders
        for folder in folders:
            _sync_folder(session, report, client, source_id, folder, me, options, resolver,
                         progress, chunk, batch, opts)
    finally:
        imap.close(client)


def _sync_folder(
    session: SessionFactory, report: SyncReport, client: Any, source_id: int, folder: str,
    me: list[str], options: ImportOptions, resolver: Resolver | None,
    progress: Progress | None, chunk: int, batch: int, opts: dict[str, Any],
) -> None:
    name = report.source
    label = f"{name}/{folder}"
    try:
        state = imap.folder_state(client, folder)
    except imap.LOST as exc:
        raise _lost(report, exc) from exc
    with session() as s:
        cursor = current_cursor(db_session=s, source_id=source_id, collection=folder)
        seen = (cursor.validity, cursor.position, cursor.modseq) if cursor else None
    first = 1
    if seen is not None:
        if seen[0] == str(state.validity):
            first = int(seen[1] or 0) + 1
            unchanged = state.modseq is not None and seen[2] == state.modseq
            if unchanged or (state.uidnext is not None and state.uidnext <= first):
                return  # nothing new: one STATUS and done
        else:
            report.resynced.append(folder)
            report.warnings.append(
                f"{label}: the server renumbered the folder (UIDVALIDITY changed); "
                "read again from the start, nothing is added twice"
            )
    total = max((state.uidnext or first) - first, 0)
    mails: list[mbox.Mail] = []
    result = ParseResult(format="imap")
    delivered: Counter[str] = Counter()
    read_in_chunk = 0
    last_uid = first - 1
    done = 0

    def flush(final: bool) -> None:
        # HIGHESTMODSEQ is kept only once the folder was read to its end: a sync cut short
        # must not look finished to the next one
        nonlocal mails, result, read_in_chunk
        parsed = mbox.interactions_of(
            mails, me_emails=me, delivered=delivered, filename=label, result=result,
            max_recipients=int(opts.get("max_recipients") or options.max_attendees
                               or mbox.MAX_RECIPIENTS),
            include_large=bool(opts.get("include_large") or options.include_large),
            infer_me=False,  # the ledger's addresses are the user's, in every batch
        )
        digest = hashlib.sha256(f"{label}:{state.validity}:{last_uid}".encode()).hexdigest()
        item = InputFile(name=f"{label} (to UID {last_uid})", format="imap", sha256=digest,
                         size=read_in_chunk, result=parsed)
        with session() as s:
            imported = run_import(db_session=s, inputs=[item], options=options,
                                  resolver=resolver, progress=None)
            move_cursor(db_session=s, source_id=source_id, collection=folder,
                        validity=str(state.validity), position=str(last_uid),
                        modseq=state.modseq if final else None, run_id=imported.run_id)
        report.add(imported)
        mails, result, read_in_chunk = [], ParseResult(format="imap"), 0

    try:
        for headers in prefetch(imap.fetch_headers(client, folder, first_uid=first,
                                                   state=state, batch=batch)):
            for h in headers:
                _read_header(h, label, result, delivered, mails)
                last_uid = h.uid
                read_in_chunk += 1
                report.read += 1
            done += len(headers)
            if headers and progress is not None:
                progress(label, min(done, total) if total else done, max(total, done))
            if read_in_chunk >= chunk:
                flush(final=False)
    except imap.LOST as exc:
        raise _lost(report, exc) from exc
    if read_in_chunk:
        flush(final=True)
    elif cursor_moved(seen, state, last_uid):
        with session() as s:
            move_cursor(db_session=s, source_id=source_id, collection=folder,
                        validity=str(state.validity), position=str(max(last_uid, 0)),
                        modseq=state.modseq)


def _read_header(h: imap.Header, label: str, result: ParseResult, delivered: Counter[str],
                 mails: list[mbox.Mail]) -> None:
    """One message's header block read by the mbox importer's code (drafts and empty
    blocks skipped and counted); Gmail's thread id goes in as its ``X-GM-THRID``."""
    src = SourceRef(label, item=h.uid)
    if h.draft:
        result.skip("draft", src)
    elif not h.block.strip():
        result.skip("no headers", src)
    else:
        block = h.block
        if h.thread:
            block = b"X-GM-THRID: " + h.thread.encode() + b"\r\n" + block
        mail = mbox.read_mail(block, src, result, delivered, received=h.received_at)
        if mail is not None:
            mails.append(mail)


def _lost(report: SyncReport, exc: BaseException) -> SyncError:
    return SyncError(
        f"the connection was lost after {report.read} messages ({exc}); what was saved "
        "stays, and the next sync resumes from there", source=report.source,
    )


def prefetch(batches: Iterator[list[imap.Header]], depth: int = 2) -> Iterator[list[imap.Header]]:
    """The batches of ``batches``, fetched by a thread up to ``depth`` ahead: the server
    works on the next FETCH while this one is read and written (memory: ``depth`` batches).
    An error of the fetch is raised here, where the batch would have been."""
    import queue
    import threading

    ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def fetch() -> None:
        try:
            for each in batches:
                while not stop.is_set():
                    try:
                        ready.put(("batch", each), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put(("end", None))
        except BaseException as exc:  # handed to the reading thread
            ready.put(("error", exc))

    thread = threading.Thread(target=fetch, name="netfolio-imap-fetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = ready.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        thread.join(timeout=5)


def cursor_moved(seen: tuple[str | None, str | None, int | None] | None, state: imap.FolderState,
                 last_uid: int) -> bool:
    """Whether a folder with nothing new to import still needs its cursor written (a first
    sync of an empty folder, a new UIDVALIDITY or HIGHESTMODSEQ)."""
    if seen is None:
        return True
    return seen != (str(state.validity), str(max(last_uid, 0)), state.modseq)


def iter_sources(*, session: SessionFactory) -> Iterator[str]:
    """The names of every source, in order."""
    from netfolio.io.sync.sources import list_sources

    with session() as s:
        names = [x.name for x in list_sources(db_session=s)]
    yield from names



__all__ = ["CHUNK", "SyncReport", "iter_sources", "me_of", "sync_source"]
