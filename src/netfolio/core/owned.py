"""The tables of one user's network, derived from the models: every :class:`Owned` one.

A new private table is a model that is ``Owned``; everything that walks a user's tables
reads these functions rather than a list of its own: the member grants and the attack
tests (:func:`netfolio.core.roles.private_tables`), the JSON ledger and ``migrate-to``
(:func:`ledger_tables`: written, read back, counted and checked), and ``restore
--replace`` (:func:`ledger_tables` and the import history: wiped).
``tests/test_owned_tables.py`` adds a model and checks that no other edit is needed.
"""

from __future__ import annotations

from sqlalchemy import Table

from netfolio.core import models

#: The owned tables that are not part of the ledger file (the JSON ledger, ``migrate-to``),
#: and why. Every other owned table is, a new one included.
NOT_IN_LEDGER: dict[str, str] = {
    "import_run": "the import history stays with the ledger it was made in (undo needs it)",
    "import_change": "the import history's change log (as import_run)",
    "sync_source": "your mail and calendar servers: set up again where the ledger goes",
    "sync_cursor": "where each sync got to, in runs of the import history",
    "share_rule": "what you share with one team's directory, kept in that team's database",
    "person_stats": "derived from the interactions (kept at write time): rebuilt wherever the "
                    "ledger goes, never copied",
    "ledger_generation": "a counter of committed writes, for the web server's cache; it starts "
                         "afresh wherever the ledger goes",
}


def owned_tables() -> tuple[Table, ...]:
    """Every table of one user's network, parents before the tables that refer to them."""
    owned = {mapper.tables[0].name for mapper in models.Base.registry.mappers
             if issubclass(mapper.class_, models.Owned)}
    return tuple(t for t in models.Base.metadata.sorted_tables if t.name in owned)


def ledger_tables() -> tuple[Table, ...]:
    """The owned tables the ledger file holds (all but :data:`NOT_IN_LEDGER`), parents
    first."""
    return tuple(t for t in owned_tables() if t.name not in NOT_IN_LEDGER)


__all__ = ["NOT_IN_LEDGER", "ledger_tables", "owned_tables"]
