"""``Network.team``: a member's side of a team database (accounts, sharing, team asks,
introductions), as thin over :mod:`netfolio.core.team` and :mod:`netfolio.core.users` as
:class:`netfolio.network.Network` is over the rest of core.

    >>> net = Network("postgresql+psycopg://app@127.0.0.1/team", user="ana")  # doctest: +SKIP
    >>> net.team.share(field="Software")                                        # +SKIP
    >>> net.team.ask(organisation="Stripe").paths[0].introducers                # +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netfolio.core.shapes import Plain
from netfolio.errors import ConfigError

if TYPE_CHECKING:
    from netfolio.core.team import Entry, RequestInfo, ShareRules, TeamAnswer
    from netfolio.core.users import UserInfo
    from netfolio.network import Network


@dataclass(frozen=True)
class TokenInfo(Plain):
    """An API token: its name, when it was made and last used, and whether it is revoked."""

    id: int
    name: str
    created_at: str
    last_used_at: str | None
    revoked: bool



class Team:
    """The team side of one member's network (see the module docstring)."""

    def __init__(self, net: Network) -> None:
        self.net = net

    # -- accounts -----------------------------------------------------------------------

    def users(self) -> list[UserInfo]:
        from netfolio.core.users import UserInfo, list_users

        with self.net.session() as s:
            return [UserInfo.of(u) for u in list_users(db_session=s)]

    def add_user(self, username: str, password: str, display_name: str | None = None,
                 ) -> UserInfo:
        """Add a member (PostgreSQL only: a SQLite ledger is one person's)."""
        from netfolio.core.users import UserInfo, check_isolation, create_user

        if not self.net.database.postgres:
            raise ConfigError(
                "team accounts need a PostgreSQL database: a SQLite ledger is one person's "
                "(copy it into a team database with `netfolio migrate-to URL --user NAME`)"
            )
        with self.net.session() as s:
            user = UserInfo.of(create_user(db_session=s, username=username, password=password,
                                           display_name=display_name))
        check_isolation(self.net.database)  # a second member: is the role held to its rows?
        return user

    def set_password(self, username: str, password: str) -> UserInfo:
        from netfolio.core.users import UserInfo, set_password

        with self.net.session() as s:
            return UserInfo.of(set_password(db_session=s, username=username, password=password))

    def me(self) -> UserInfo:
        from netfolio.core.models import AppUser
        from netfolio.core.users import UserInfo

        with self.net.session() as s:
            user = s.get(AppUser, self.net.user_id)
            assert user is not None
            return UserInfo.of(user)

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The member with this name and password, or None."""
        from netfolio.core.users import UserInfo, authenticate

        with self.net.session() as s:
            user = authenticate(db_session=s, username=username, password=password)
            return None if user is None else UserInfo.of(user)

    def user_for_token(self, token: str) -> UserInfo | None:
        from netfolio.core.users import UserInfo, user_for_token

        with self.net.session() as s:
            user = user_for_token(db_session=s, token=token)
            return None if user is None else UserInfo.of(user)

    def create_token(self, name: str) -> tuple[str, TokenInfo]:
        """A new API token for this member: the token itself is returned once, here."""
        from netfolio.core.users import create_token

        with self.net.session() as s:
            token, row = create_token(db_session=s, user_id=self.net.user_id, name=name)
            return token, _token(row)

    def tokens(self) -> list[TokenInfo]:
        from netfolio.core.users import list_tokens

        with self.net.session() as s:
            return [_token(t) for t in list_tokens(db_session=s, user_id=self.net.user_id)]

    def revoke_token(self, token_id: int) -> TokenInfo:
        from netfolio.core.users import revoke_token

        with self.net.session() as s:
            return _token(revoke_token(db_session=s, user_id=self.net.user_id,
                                       token_id=token_id))

    # -- sharing ------------------------------------------------------------------------

    def share(self, *, person: str | int | None = None, field: str | None = None,
              share: bool | None = True, as_of: str | dt.date | None = None,
              ) -> dict[str, int]:
        """Share a person or a whole field with the team (``share=False``: keep a person
        out; None: forget the rule), then bring the directory up to date."""
        from netfolio.core.fields import resolve_field
        from netfolio.core.team import set_share

        with self.net.session() as s:
            set_share(
                db_session=s, share=share,
                person=None if person is None else self.net._person(s, person),
                field=None if field is None else resolve_field(db_session=s, text=field),
            )
        return self.sync(as_of)

    def sharing(self) -> ShareRules:
        from netfolio.core.team import share_rules

        with self.net.session() as s:
            return share_rules(db_session=s)

    def sync(self, as_of: str | dt.date | None = None) -> dict[str, int]:
        """Write this member's directory entries from their sharing rules and their tie
        strength today: who is shared, and how strong each tie is (a bucket)."""
        from netfolio.core.snapshot_load import load_snapshot
        from netfolio.core.team import shared_person_ids, write_directory
        from netfolio.practice.team import shared_buckets

        day, params = self.net.day(as_of), self.net.params()
        with self.net.session() as s:
            ids = shared_person_ids(db_session=s)
            shared = shared_buckets(load_snapshot(db_session=s), day, params, ids) if ids else []
            return write_directory(db_session=s, shared=shared)

    def directory(self) -> list[Entry]:
        """What this member shares, as teammates see it."""
        from netfolio.core.team import own_entries

        with self.net.session() as s:
            return own_entries(db_session=s)

    # -- team ask and introductions -------------------------------------------------------

    def ask(self, *, organisation: str | None = None, field: str | None = None,
            title: str | None = None, limit: int = 500) -> TeamAnswer:
        """Who on the team knows someone at an organisation, in a field or with a title."""
        from netfolio.core.fields import resolve_field
        from netfolio.core.team import TeamQuery, team_ask

        with self.net.session() as s:
            slug = resolve_field(db_session=s, text=field).slug if field else None
            query = TeamQuery(organisation=organisation, field=slug, title=title)
            return team_ask(db_session=s, query=query, limit=limit)

    def request_intro(self, entry_id: int, message: str = "") -> RequestInfo:
        from netfolio.core.team import request_info, request_introduction

        with self.net.session() as s:
            row = request_introduction(db_session=s, entry_id=entry_id, message=message)
            return request_info(db_session=s, request=row)

    def requests(self, status: str | None = None) -> list[RequestInfo]:
        from netfolio.core.team import list_requests

        with self.net.session() as s:
            return list_requests(db_session=s, statuses=[status] if status else None)

    def accept(self, request_id: int, *, when: dt.date | None = None) -> RequestInfo:
        """Accept a request: logged as a give to the person in your own ledger."""
        from netfolio.core.enums import Intent
        from netfolio.core.interactions import log_interaction
        from netfolio.core.people import get_person
        from netfolio.core.team import decide_introduction, entry_person_id, request_info

        with self.net.session() as s:
            row = decide_introduction(db_session=s, request_id=request_id, accept=True)
            info = request_info(db_session=s, request=row)
            person_id = entry_person_id(db_session=s, request=row)
            if person_id is not None:
                log_interaction(
                    db_session=s, people=[get_person(db_session=s, person_id=person_id)],
                    when=when or dt.date.today(), intent=Intent.GIVE,
                    note=f"Introduced {info.requester} (team request #{row.id})",
                    source="team", source_key=f"team-intro:{row.id}",
                )
            return info

    def decline(self, request_id: int) -> RequestInfo:
        from netfolio.core.team import decide_introduction, request_info

        with self.net.session() as s:
            row = decide_introduction(db_session=s, request_id=request_id, accept=False)
            return request_info(db_session=s, request=row)

    def withdraw(self, request_id: int) -> RequestInfo:
        from netfolio.core.team import request_info, withdraw_introduction

        with self.net.session() as s:
            row = withdraw_introduction(db_session=s, request_id=request_id)
            return request_info(db_session=s, request=row)

    def outcome(self, request_id: int, outcome: str) -> RequestInfo:
        from netfolio.core.team import record_outcome, request_info

        with self.net.session() as s:
            row = record_outcome(db_session=s, request_id=request_id, outcome=outcome)
            return request_info(db_session=s, request=row)


def _token(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id, name=row.name, created_at=row.created_at.isoformat(),
        last_used_at=row.last_used_at.isoformat() if row.last_used_at else None,
        revoked=row.revoked_at is not None,
    )


__all__ = ["Team", "TokenInfo"]
