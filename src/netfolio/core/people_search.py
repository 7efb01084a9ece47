"""How ranked people search orders its matches (shared by the ORM path in
:mod:`netfolio.core.people` and the lean read path in :mod:`netfolio.core.reader`)."""

from __future__ import annotations

from typing import Any

#: Ranked search: the columns whose match places a person first, in order.
SEARCH_ORDER = ("name", "organisation", "title")
#: bm25 weights within one of those groups (names count most, then organisation, title).
SEARCH_WEIGHTS = {"name": 10.0, "organisation": 5.0, "title": 3.0, "fields": 1.0, "tags": 2.0,
                  "notes": 1.0, "shared": 1.0, "place": 1.0}


def ranked_ids(db: Any, text: str) -> list[int]:
    """The ids of the people matching every word of ``text`` (as the start of a word, through
    the people search index), best first: people whose name matches come first, then
    organisation, then title, then the rest; whole words before word starts ("Ana" before
    "Ananya") within each; bm25 within a group. ``db``: a session or a lean read
    connection."""
    from netfolio.core import search

    phrases = [p for w in text.split() if (p := search.Phrase.of(w, prefix=True))]
    ranked = search.rank(db_session=db, phrases=phrases, weights=SEARCH_WEIGHTS, all_of=True)
    if not ranked:
        return []
    exact = [search.Phrase(p.words) for p in phrases]
    group = {pid: 2 * len(SEARCH_ORDER) for pid, _ in ranked}
    for g, column in reversed(list(enumerate(SEARCH_ORDER))):
        for kind, words in ((1, phrases), (0, exact)):
            for pid in search.matching(db_session=db, phrases=words, column=column,
                                       all_of=True):
                if pid in group:
                    group[pid] = 2 * g + kind
    order = {pid: i for i, (pid, _) in enumerate(ranked)}
    return sorted(group, key=lambda pid: (group[pid], order[pid]))


__all__ = ["SEARCH_ORDER", "SEARCH_WEIGHTS", "ranked_ids"]
