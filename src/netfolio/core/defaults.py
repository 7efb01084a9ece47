"""Defaults that both the ledger's settings and the measures read, in one place.

Plain constants, free of the ORM, so that ``netfolio.measures`` (pure functions) and
``netfolio.core.settings`` (the stored "me") import the same value.
"""

from __future__ import annotations

#: Touches a week (deposits you start) that the weekly plan fills and the contributions
#: streak counts: one a working day, small and steady like an index-fund contribution. The
#: plan's spread rules (at most 2 a field, 2 a reason: 40% of it) are sized for it. Design
#: choice (docs/measures.md, docs/practice.md); ``netfolio init --budget`` sets your own.
DEFAULT_WEEKLY_BUDGET = 5

__all__ = ["DEFAULT_WEEKLY_BUDGET"]
