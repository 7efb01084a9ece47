"""How ranked people search orders its matches (shared by the ORM path in
:mod:`netfolio.core.people` and the lean read path in :mod:`netfolio.core.reader`)."""

from __future__ import annotations

#: Ranked search: the columns whose match places a person first, in order.
SEARCH_ORDER = ("name", "organisation", "title")
#: bm25 weights within one of those groups (names count most, then organisation, title).
SEARCH_WEIGHTS = {"name": 10.0, "organisation": 5.0, "title": 3.0, "fields": 1.0, "tags": 2.0,
                  "notes": 1.0, "shared": 1.0, "place": 1.0}


__all__ = ["SEARCH_ORDER", "SEARCH_WEIGHTS"]
