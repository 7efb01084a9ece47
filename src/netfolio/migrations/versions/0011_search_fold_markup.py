"""the people search on PostgreSQL reads text in angle brackets as words

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 07:15:00

PostgreSQL's text-search parser takes ``<...>`` for an XML tag and drops it, so a note with
words in brackets (``met at <Kestrel Summit>``) or a name written with them was not found by
those words there, while SQLite's FTS5 found it. ``netfolio_fold`` (applied to the
index and to every query's words alike) now turns ``<`` and ``>`` into spaces, and every
person's search document is rebuilt from the texts the index already holds. SQLite: nothing to do.
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_SEARCH = importlib.import_module("netfolio.migrations.versions.0007_people_search_index")

_DOC = (
    "setweight(to_tsvector('simple', netfolio_fold(name)), 'A') || "
    "setweight(to_tsvector('english', netfolio_fold(organisation || ' ' || title)), 'B') || "
    "setweight(to_tsvector('english', netfolio_fold(fields || ' ' || tags)), 'C') || "
    "setweight(to_tsvector('english', netfolio_fold(notes || ' ' || shared || ' ' || place)),"
    " 'D')"
)


def _fold(extra_from: str, extra_to: str) -> str:
    accented, plain = _SEARCH._ACCENTED + extra_from, _SEARCH._PLAIN + extra_to
    return (
        "CREATE OR REPLACE FUNCTION netfolio_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE "
        "STRICT PARALLEL SAFE AS $$ SELECT translate(replace(replace(replace(lower(t), 'æ', "
        f"'ae'), 'œ', 'oe'), 'ß', 'ss'), '{accented}', '{plain}') $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_fold("<>", "  "))
    op.execute(f"UPDATE person_search SET doc = {_DOC}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_fold("", ""))
    op.execute(f"UPDATE person_search SET doc = {_DOC}")
