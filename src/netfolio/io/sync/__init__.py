"""Sync: the ledger follows the user's own servers (IMAP mail, CalDAV calendars, CardDAV
address books, ICS calendar feeds).

Every sync is an import run through :func:`netfolio.io.pipeline.run_import`: the records a
server gives are built by the same parsers as files (IMAP headers by the mbox importer's
:func:`~netfolio.io.formats.mbox.read_mail`, calendar feeds by the .ics importer), so a
message seen by both an mbox import and a sync is one interaction.

- :mod:`.sources`: the sources and cursors kept in the ledger (service functions).
- :mod:`.credentials`: passwords from an environment variable or the OS keyring, never the
  ledger.
- :mod:`.imap`: the IMAP client: TLS, folders, batched header fetches.
- :mod:`.ics`: ICS subscription URLs (ETag and Last-Modified).
- :mod:`.dav`: a small WebDAV client (the standard library): find calendars and address
  books, sync-collection REPORT, ETags, multiget.
- :mod:`.dav_sync`: CalDAV calendars and CardDAV address books, one run per collection.
- :mod:`.removals`: interactions a calendar sync removes, logged so undo puts them back.
- :mod:`.run`: one source's sync: read what changed, import it in runs, move the cursor.
"""

from __future__ import annotations
