"""Team mode's members as the server holds them: one Network and one measures cache each.

A team database serves every member from one engine: each member's requests go through
``net.for_user(id)``, so every service call is scoped to them (and, on PostgreSQL, row-level
security holds the same line below). Their measures are cached apart, keyed by user id: a
member's cache is built from their own Network and is only ever handed to a request acting
for that same member.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException

from netfolio.web.deps import PendingUploads

if TYPE_CHECKING:
    from netfolio.core.users import UserInfo
    from netfolio.network import Network
    from netfolio.web.cache import Measured, MeasuresCache


@dataclass
class Member:
    """One member's side of the server: their Network, measures and pending uploads."""

    user: UserInfo
    net: Network
    cache: MeasuresCache
    uploads: PendingUploads = field(default_factory=PendingUploads)


class Members:
    """Members by user id, created on their first request (one at a time)."""

    def __init__(self, server: Network,
                 warmers: Callable[[Member], list[Callable[[Measured], object]]] | None = None,
                 ) -> None:
        self.server = server
        self.warmers = warmers
        self._members: dict[int, Member] = {}
        self._lock = threading.Lock()

    def get(self, user_id: int) -> Member:
        found = self._members.get(user_id)
        if found is not None:
            return found
        with self._lock:
            found = self._members.get(user_id)
            if found is None:
                found = self._members[user_id] = self._make(user_id)
            return found

    def _make(self, user_id: int) -> Member:
        from netfolio.web.cache import MeasuresCache

        user = next((u for u in self.server.team.users() if u.id == user_id), None)
        if user is None or not user.can_log_in:  # removed since the cookie was signed
            raise HTTPException(401, "log in first: that account cannot log in")
        net = self.server.for_user(user_id)
        member = Member(user=user, net=net, cache=MeasuresCache(net))
        if self.warmers is not None:  # a warm server: each member's measures kept current
            member.cache.warmers.extend(self.warmers(member))
            member.cache.watch(every=0.2)
        return member

    def user_for_token(self, token: str) -> int | None:
        """The id of the member a live API token belongs to, or None."""
        user = self.server.team.user_for_token(token)
        return None if user is None else user.id

    def __len__(self) -> int:
        return len(self._members)
