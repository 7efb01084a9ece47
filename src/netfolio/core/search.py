"""The people search index: full-text matches over everything you know about a person, ranked.

Migration 0007 creates ``person_search`` (one row per person: name, organisation, title,
fields, tags, notes, what they told you in ``share`` interactions, place) and the triggers that
keep it current with every write. On SQLite it is an FTS5 table (``porter`` over ``unicode61
remove_diacritics 2``) ranked by ``bm25()``; on PostgreSQL a ``tsvector`` with a GIN index
ranked by ``ts_rank`` (accents folded by ``netfolio_fold``, ``english`` stemming). Both fold
case and accents and match word endings ("hiring" finds "hire", "Nunez" finds "Núñez").

Ranked people search (``netfolio search``) and ask mode share it: ``rank`` scores people for a
list of phrases with per-column weights, ``highlights`` says which words matched where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netfolio.core.read import ReadConnection
from netfolio.core.taxonomy import words_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    #: an ORM session, or the lean read path's DB-API connection (no SQLAlchemy imported)
    Db = Session | ReadConnection

TABLE = "person_search"
#: The indexed columns, in the table's order.
COLUMNS = ("name", "organisation", "title", "fields", "tags", "notes", "shared", "place")
#: PostgreSQL keeps four weight classes: the columns' class (A strongest).
PG_CLASS = {"name": "A", "organisation": "B", "title": "B", "fields": "C", "tags": "C",
            "notes": "D", "shared": "D", "place": "D"}
_MARK_ON, _MARK_OFF = "\x02", "\x03"
_WORD = re.compile(r"[^\W_]+")
#: Letters that do not decompose into a letter and an accent, folded in the query as migration
#: 0007 folds them in names, organisations and titles on SQLite (PostgreSQL folds them too).
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ß": "ss",
                          "ð": "d", "þ": "th", "ı": "i"})
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def is_search_table(name: str | None) -> bool:
    """Whether ``name`` is the search index or one of FTS5's shadow tables."""
    return bool(name) and (name == TABLE or str(name).startswith(TABLE + "_"))


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in order (``prefix``: the last one may be a prefix)."""

    words: tuple[str, ...]
    prefix: bool = False

    @classmethod
    def of(cls, text: str, *, prefix: bool = False) -> Phrase | None:
        """The words of ``text`` in lower case (each database folds accents its own way, the
        same for the query as for the index), or None when it has none."""
        found = tuple(_WORD.findall(text.lower().translate(_LETTERS)))
        return cls(found, prefix) if found else None

    def fts5(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def text(self) -> str:
        return " ".join(self.words)


def _postgres(db: Db) -> bool:
    if isinstance(db, ReadConnection):
        return db.postgres
    return db.get_bind().dialect.name == "postgresql"


def _execute(db: Db, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    """The rows of ``sql`` with ``:name`` parameters, through either kind of connection."""
    if isinstance(db, ReadConnection):
        return db.rows(sql, params or {})
    from sqlalchemy import text

    return list(db.execute(text(sql), params or {}).all())


def _fts5_query(phrases: Sequence[Phrase], *, all_of: bool, column: str | None = None) -> str:
    joined = (" AND " if all_of else " OR ").join(p.fts5() for p in phrases)
    return f"{{{column}}} : ({joined})" if column else joined


def _tsquery(phrases: Sequence[Phrase], *, all_of: bool, params: dict[str, Any]) -> str:
    """A tsquery expression with the phrases bound in ``params`` (english stemming; names
    also unstemmed, since ``name`` is indexed with the ``simple`` configuration)."""
    parts = []
    for i, p in enumerate(phrases):
        params[f"p{i}"] = p.text()
        one = (f"(phraseto_tsquery('english', netfolio_fold(:p{i})) || "
               f"phraseto_tsquery('simple', netfolio_fold(:p{i})))")
        if p.prefix:
            # each word folded on its own: netfolio_fold turns the operator's < > to spaces
            for j, word in enumerate(p.words):
                params[f"q{i}_{j}"] = word
            folded = " || ' <-> ' || ".join(
                f"netfolio_fold(:q{i}_{j})" for j in range(len(p.words)))
            one = f"({one} || to_tsquery('simple', {folded} || ':*'))"
        parts.append(one)
    return (" && " if all_of else " || ").join(parts)


def rank(
    *, db_session: Db, phrases: Sequence[Phrase], weights: Mapping[str, float],
    all_of: bool = False, limit: int | None = None,
) -> list[tuple[int, float]]:
    """``(person id, score)`` of the people matching any (``all_of``: every) phrase, best
    first; the score is positive, larger is better, and comparable within one call only.

    ``weights`` per column (missing: 0); on PostgreSQL per weight class (the largest of its
    columns), as ``ts_rank`` offers.
    """
    phrases = [p for p in phrases if p.words]
    if not phrases:
        return []
    cap = f" LIMIT {int(limit)}" if limit is not None else ""
    if _postgres(db_session):
        params: dict[str, Any] = {}
        query = _tsquery(phrases, all_of=all_of, params=params)
        top = max(weights.values()) or 1.0
        klass = {k: max((w for c, w in weights.items() if PG_CLASS.get(c) == k), default=0.0)
                 for k in "ABCD"}
        array = ", ".join(f"{klass[k] / top:.4f}" for k in "DCBA")
        sql = (f"SELECT person_id, ts_rank(ARRAY[{array}]::float4[], doc, q) AS score "
               f"FROM {TABLE}, ({' SELECT ' + query}) AS x(q) WHERE doc @@ q "
               f"ORDER BY score DESC, person_id{cap}")
        rows = _execute(db_session, sql, params)
        return [(int(r[0]), float(r[1])) for r in rows]
    w = ", ".join(f"{float(weights.get(c, 0.0)):g}" for c in COLUMNS)
    sql = (f"SELECT rowid, -bm25({TABLE}, {w}) AS score FROM {TABLE} WHERE {TABLE} MATCH :q "
           f"ORDER BY score DESC, rowid{cap}")
    rows = _execute(db_session, sql, {"q": _fts5_query(phrases, all_of=all_of)})
    return [(int(r[0]), float(r[1])) for r in rows]


def matching(
    *, db_session: Db, phrases: Sequence[Phrase], column: str | None = None,
    all_of: bool = False,
) -> set[int]:
    """The ids of people matching the phrases (in ``column`` only, when given)."""
    phrases = [p for p in phrases if p.words]
    if not phrases:
        return set()
    if _postgres(db_session):
        params: dict[str, Any] = {}
        query = _tsquery(phrases, all_of=all_of, params=params)
        if column is None:
            target = "doc"
        else:
            config = "simple" if column == "name" else "english"
            target = f"to_tsvector('{config}', netfolio_fold({column}))"
        sql = f"SELECT person_id FROM {TABLE} WHERE {target} @@ ({query})"
        return {int(r[0]) for r in _execute(db_session, sql, params)}
    sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :q"
    q = _fts5_query(phrases, all_of=all_of, column=column)
    return {int(r[0]) for r in _execute(db_session, sql, {"q": q})}


def highlights(
    *, db_session: Db, person_ids: Iterable[int], phrases: Sequence[Phrase],
) -> dict[int, dict[str, tuple[str, tuple[str, ...]]]]:
    """For each person, per column where a phrase matched: the column's text and the words
    that matched (as written there; folded on PostgreSQL)."""
    ids = sorted({int(i) for i in person_ids})
    phrases = [p for p in phrases if p.words]
    if not ids or not phrases:
        return {}
    id_list = ", ".join(str(i) for i in ids)
    if _postgres(db_session):
        params: dict[str, Any] = {}
        query = _tsquery(phrases, all_of=False, params=params)
        opts = f"StartSel={_MARK_ON}, StopSel={_MARK_OFF}, HighlightAll=true"
        cols = ", ".join(
            f"ts_headline('{'simple' if c == 'name' else 'english'}', netfolio_fold({c}), q, "
            f"'{opts}')" for c in COLUMNS)
        sql = (f"SELECT person_id, {cols} FROM {TABLE}, (SELECT {query}) AS x(q) "
               f"WHERE person_id IN ({id_list}) AND doc @@ q")
        plain = {int(r[0]): r[1:] for r in _execute(
            db_session, f"SELECT person_id, {', '.join(COLUMNS)} FROM {TABLE} "
            f"WHERE person_id IN ({id_list})")}
        rows = [(r[0], r[1:], plain.get(int(r[0]), ())) for r in
                _execute(db_session, sql, params)]
    else:
        cols = ", ".join(f"highlight({TABLE}, {i}, '{_MARK_ON}', '{_MARK_OFF}')"
                         for i in range(len(COLUMNS)))
        sql = (f"SELECT rowid, {cols}, {', '.join(COLUMNS)} FROM {TABLE} "
               f"WHERE {TABLE} MATCH :q AND rowid IN ({id_list})")
        n = len(COLUMNS)
        rows = [(r[0], r[1:1 + n], r[1 + n:]) for r in
                _execute(db_session, sql, {"q": _fts5_query(phrases, all_of=False)})]
    out: dict[int, dict[str, tuple[str, tuple[str, ...]]]] = {}
    for pid, marked, plain_texts in rows:
        found: dict[str, tuple[str, tuple[str, ...]]] = {}
        for i, (column, value) in enumerate(zip(COLUMNS, marked, strict=True)):
            if not value or _MARK_ON not in value:
                continue
            words = tuple(dict.fromkeys(
                part.split(_MARK_OFF, 1)[0] for part in value.split(_MARK_ON)[1:]))
            shown = str(plain_texts[i]) if i < len(plain_texts) else value
            if shown != value:  # PostgreSQL marks the folded text: give the words as written
                written = {" ".join(words_of(t)): t for t in reversed(_TOKEN.findall(shown))}
                words = tuple(written.get(w, w) for w in words)
            found[column] = (shown, words)
        if found:
            out[int(pid)] = found
    return out


__all__ = ["COLUMNS", "TABLE", "Phrase", "highlights", "is_search_table", "matching", "rank"]
