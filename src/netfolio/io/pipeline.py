"""The one place that writes parsed records into the ledger: match, merge, log, in one go.

Parsers return :class:`~netfolio.io.records.ParseResult` s; :func:`run_import` writes them:

1. **Match** each person record to someone in the ledger by LinkedIn URL, email
   (case-insensitive) or phone (E.164), with the keys of the whole ledger loaded once into
   dicts (:class:`~netfolio.io.matching.KeyIndex`). A shared key is evidence, not proof:
   each pair is judged (:func:`netfolio.io.linkage.judge`) and merged, listed for review
   or kept apart. Unmatched records become new people; records of the same file that share
   a strong key become one person.
2. **Update** matched people: missing facts are filled; a new title, organisation or location
   from the same kind of export replaces the old one (a new title or organisation is also a
   *job change*, with the day it was seen); a value from another kind of source, or one the
   user set by hand, is kept beside the current one in ``fact_sources["other_values"]``.
   Emails, phones, links and tags are added. Every fact keeps its source.
3. **Possible duplicates**: new people whose name (and organisation) is close to someone
   else's are proposed to a :class:`~netfolio.io.matching.Resolver`, which merges them,
   keeps them apart for good, or lists them for ``netfolio duplicates``.
4. **Interactions** are keyed by their ``source_key``, so a re-import adds nothing twice.
   Participants are found by profile URL or email; an address not seen before is linked to
   the one person whose display name matches exactly (case and accents folded) and the email
   is added to them; when several match, a new person is added and proposed as a possible
   duplicate of each; when none, a new person.
5. **Knows edges** from a card's RELATED people, and between people of a small organisation
   (at most ``SMALL_ORGANISATION`` people in the ledger; a big employer says little).
6. **Write** set-based (:mod:`netfolio.core.bulk`): one ``executemany`` per table, explicit
   ids, never a query per row; and a change log (``import_change``) from which
   :func:`netfolio.io.runs.undo_last_run` reverts the run exactly.

The stages live in their own modules, with plain data between them: **read**
(:mod:`netfolio.io.files`: files → :class:`InputFile` with its parsed records), **match**
(:mod:`netfolio.io.import_match`: who is who, each key-sharing pair judged by
:mod:`netfolio.io.linkage`), **plan** (:mod:`netfolio.io.import_plan`: records folded into
:class:`~netfolio.io.import_state.PlannedPerson` s, edges, fields) and **write**
(:mod:`netfolio.io.import_write`); :mod:`netfolio.io.import_state` holds the state they
share and :mod:`netfolio.io.import_report` the options and the report. This module runs them
in order and keeps the public entry points (:func:`run_import`, the report types).

All of it happens in the caller's one transaction: the caller commits, or (``--dry-run``)
rolls back after reading the report; any failure raises ImportError_ and nothing stays.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from netfolio.core.bulk import BulkWriter
from netfolio.errors import ImportError_, NetfolioError
from netfolio.io import garbage
from netfolio.io.import_match import MatchStage
from netfolio.io.import_report import (
    DuplicateInfo,
    ImportOptions,
    ImportReport,
    InputFile,
    JobChangeInfo,
    Progress,
)
from netfolio.io.import_write import Writer
from netfolio.io.matching import (
    ListForLater,
    Resolver,
)


class Import(MatchStage):
    """One import, stage by stage: read results in, the report out."""

    def run(self, dry_run: bool) -> ImportReport:
        for item in self.inputs:
            result = item.result
            for skipped in result.skipped:
                self.skip(skipped.reason, skipped.source, skipped.detail)
            for warning in result.warnings:
                self.warn(warning)
            for taken in result.me_taken:
                if taken and taken not in self.report.me_taken:
                    self.report.me_taken.append(taken)
        writer = self.w = BulkWriter(self.s)
        writer.big_cache()
        try:
            self.load_imported_files()
            run_id = None if dry_run else self.start_run(writer)
            self.load_keys()
            self.load_known_pairs()
            self.match_people()
            self.apply_pending()
            self.find_duplicates()
            self.resolve()
            self.match_interactions()
            self.review_participants()
            self.knows()
            removed = self.plan_fields()
            Writer(self, writer, run_id).all(removed)
        finally:
            writer.close()
        self.report.run_id = run_id
        self.report.dry_run = dry_run
        return self.report

    def start_run(self, writer: BulkWriter) -> int:
        """Record the run first: this also takes the database's write lock (SQLite)."""
        (run_id,) = writer.new_ids("import_run", 1)
        files = [
            {"name": i.name, "format": i.format, "sha256": i.sha256, "bytes": i.size}
            for i in self.inputs
        ]
        digest = (
            self.inputs[0].sha256
            if len(self.inputs) == 1
            else hashlib.sha256("".join(i.sha256 for i in self.inputs).encode()).hexdigest()
        )
        writer.insert(
            "import_run",
            ("id", "format", "file_name", "file_sha256", "files", "started_at", "counts", "undone"),
            [
                (
                    run_id,
                    self.report.format[:100],
                    ", ".join(self.report.files)[:1000],
                    digest,
                    writer.json(files),
                    writer.stamp(self.now),
                    writer.json({}),
                    writer.flag(False),
                )
            ],
        )
        return run_id


def run_import(
    *,
    db_session: Session,
    inputs: Sequence[InputFile],
    options: ImportOptions | None = None,
    resolver: Resolver | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write parsed files into the ledger in the session's transaction; return the report.

    With ``dry_run`` nothing is recorded as a run (the caller rolls the transaction back).
    Any failure raises ImportError_ naming the file; the caller's rollback undoes everything.
    """
    plan = Import(
        db_session, inputs, options or ImportOptions(), resolver or ListForLater(), progress
    )
    try:
        with garbage.fewer_collections():  # many small objects, few cyclic
            return plan.run(dry_run)
    except NetfolioError:
        raise
    except Exception as exc:
        names = ", ".join(i.name for i in inputs) or None
        raise ImportError_(
            f"cannot write to the ledger ({type(exc).__name__}: {exc}); nothing was imported",
            file=names,
        ) from exc


def skipped_summary(report: ImportReport) -> list[tuple[str, int]]:
    """Skipped items by reason, most frequent first."""
    return Counter(report.skipped).most_common()


__all__ = [
    "DuplicateInfo",
    "ImportOptions",
    "ImportReport",
    "InputFile",
    "JobChangeInfo",
    "Progress",
    "run_import",
    "skipped_summary",
]
