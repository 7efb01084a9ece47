"""Users of a ledger: accounts, passwords, API tokens, and who a session acts for.

A personal ledger has one user, ``me`` (id 1), who never logs in. A team database on
PostgreSQL has one account per member: ``netfolio team add-user`` creates them, with an
argon2 password for the web app and API tokens for scripts. Every session acts for one
user (:mod:`netfolio.core.db`); on PostgreSQL the row-level security policies of
migration 0004 hold it to that user's rows, which works only when netfolio connects as an
ordinary role: :func:`check_isolation` refuses a superuser or ``BYPASSRLS`` role once a
second person can log in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from netfolio.core.db import ME
from netfolio.core.models import ApiToken, AppUser, Person, utcnow
from netfolio.core.shapes import Plain
from netfolio.errors import ConfigError, NotFoundError, ValidationError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from netfolio.core.db import Database

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
MIN_PASSWORD = 8
#: API tokens start with this, so a leaked one is easy to recognise (and to search for).
TOKEN_PREFIX = "nf_"


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"a password has at least {MIN_PASSWORD} characters")
    return _hasher().hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if stored is None:
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class UserInfo(Plain):
    """A member of the ledger: who they are and whether they can log in to the web app."""

    id: int
    username: str
    display_name: str
    can_log_in: bool

    @classmethod
    def of(cls, user: AppUser) -> UserInfo:
        return cls(user.id, user.username, user.display_name, user.password_hash is not None)


def acting_user(db_session: Session) -> int:
    """The user a session acts for."""
    user_id = db_session.info.get("user_id")
    if user_id is None:
        raise ConfigError("this session acts for no user")
    return int(user_id)


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise ValidationError(
            f"{username!r} is not a username: use lower-case letters, digits, '.', '-' or '_'"
        )
    return name


def get_user(*, db_session: Session, username: str) -> AppUser:
    user = db_session.execute(
        select(AppUser).where(AppUser.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise NotFoundError(f"no user {username!r} (see `netfolio team users`)")
    return user


def list_users(*, db_session: Session) -> list[AppUser]:
    _require_admin(db_session)
    return list(db_session.execute(select(AppUser).order_by(AppUser.username)).scalars())


def create_user(
    *, db_session: Session, username: str, password: str, display_name: str | None = None
) -> AppUser:
    """Add an account. The first account of a ledger whose own user ``me`` never logged in
    and holds no people takes that user's place (so a new team database has no orphan)."""
    name = check_username(username)
    _require_admin(db_session)
    if db_session.execute(select(AppUser.id).where(AppUser.username == name)).first():
        raise ValidationError(f"there is already a user {name!r}")
    hashed = hash_password(password)
    me = db_session.get(AppUser, ME)
    if (me is not None and me.username == "me" and me.password_hash is None
            and _owns_nothing(db_session)):
        me.username, me.display_name, me.password_hash = name, display_name or name, hashed
        db_session.flush()
        _member_role(db_session, me, password)
        return me
    user = AppUser(username=name, display_name=display_name or name, password_hash=hashed)
    db_session.add(user)
    db_session.flush()
    _member_role(db_session, user, password)
    return user


def _member_role(db_session: Session, user: AppUser, password: str) -> None:
    """On PostgreSQL, the member's own login role with the same password (core.roles)."""
    from netfolio.core.roles import is_postgres, set_member_role

    if is_postgres(db_session):
        set_member_role(db_session=db_session, user_id=user.id, username=user.username,
                        password=password)


def _owns_nothing(db_session: Session) -> bool:
    if acting_user(db_session) != ME:  # another user's rows are not ours to count
        return False
    return db_session.execute(select(func.count(Person.id))).scalar_one() == 0


def set_password(*, db_session: Session, username: str, password: str) -> AppUser:
    """A new password: for the web app, the API and (PostgreSQL) the member's own database
    role. Every web session of the member ends (see :mod:`netfolio.core.web_sessions`)."""
    from netfolio.core.web_sessions import end_sessions

    _require_admin(db_session)
    user = get_user(db_session=db_session, username=username)
    user.password_hash = hash_password(password)
    db_session.flush()
    _member_role(db_session, user, password)
    end_sessions(db_session=db_session, user_id=user.id)
    return user


def _require_admin(db_session: Session) -> None:
    from netfolio.core.roles import member_of_role

    if member_of_role(db_session) is not None:
        raise ConfigError("accounts are managed through the team's admin connection, not a "
                          "member's own database role (see docs/team.md)")


def authenticate(*, db_session: Session, username: str, password: str) -> AppUser | None:
    """The user with this name and password, or None (the same work either way)."""
    try:
        name = check_username(username)
    except ValidationError:
        name = ""
    user = db_session.execute(
        select(AppUser).where(AppUser.username == name)
    ).scalar_one_or_none()
    if user is None or user.password_hash is None:
        password_matches(_DUMMY_HASH(), password)  # spend the same time as a real check
        return None
    return user if password_matches(user.password_hash, password) else None


@cache
def _DUMMY_HASH() -> str:
    return _hasher().hash(secrets.token_hex(16))


# -- API tokens ---------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, db_session: Session, user_id: int, name: str) -> tuple[str, ApiToken]:
    """A new token for ``user_id``: returns the token (shown once, never stored) and its row."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError("name the token (up to 100 characters), e.g. after the script")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_sha256=_digest(token))
    db_session.add(row)
    db_session.flush()
    return token, row


def user_for_token(*, db_session: Session, token: str) -> AppUser | None:
    """The user a live token belongs to (and note its use), or None."""
    row = db_session.execute(
        select(ApiToken).where(ApiToken.token_sha256 == _digest(token.strip()))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    row.last_used_at = utcnow()
    return db_session.get(AppUser, row.user_id)


def list_tokens(*, db_session: Session, user_id: int) -> list[ApiToken]:
    return list(db_session.execute(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
    ).scalars())


def revoke_token(*, db_session: Session, user_id: int, token_id: int) -> ApiToken:
    row = db_session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFoundError(f"you have no token #{token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db_session.flush()
    return row


# -- isolation ----------------------------------------------------------------------------


def is_team(db_session: Session) -> bool:
    """True once anyone can log in: from then on, each user's rows must stay their own.
    (A member's own database role exists only in a team, and may not read the hashes.)"""
    from netfolio.core.roles import member_of_role

    if member_of_role(db_session) is not None:
        return True
    return db_session.execute(
        select(AppUser.id).where(AppUser.password_hash.is_not(None)).limit(1)
    ).first() is not None


def role_bypasses_rls(db_session: Session) -> bool:
    """Whether PostgreSQL lets this connection's role past row-level security."""
    if db_session.get_bind().dialect.name != "postgresql":
        return False
    return bool(db_session.execute(text(
        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )).scalar())


def check_isolation(database: Database) -> None:
    """Refuse to act for users of a team database through a role that escapes row-level
    security (a superuser or a BYPASSRLS role would see every member's network)."""
    if not database.postgres:
        return
    with database.session() as s:
        if role_bypasses_rls(s) and is_team(s):
            user = s.execute(select(func.current_user())).scalar()
            raise ConfigError(
                f"the database role {user!r} bypasses row-level security (a superuser or "
                "BYPASSRLS role): a team database must be used through an ordinary role, "
                "or every member could read every network. See docs/team.md."
            )


def resolve_user(database: Database, username: str | None) -> int:
    """The id of the user a command acts for: ``username`` if given; else the ledger's only
    user; a team database needs a name (``--user`` or ``NETFOLIO_USER``)."""
    from netfolio.core.roles import member_of_role

    with database.session(write=False) as s:
        member = member_of_role(s)
        if member is not None:  # a member's own database role is that member, and no other
            if username and get_user(db_session=s, username=username).id != member:
                raise ConfigError(
                    f"this connection is another member's database role, not {username!r}: "
                    "connect with your own role (see docs/team.md)")
            return member
        if username:
            return get_user(db_session=s, username=username).id
        users = s.execute(select(AppUser.id).order_by(AppUser.id).limit(2)).scalars().all()
    if len(users) == 1:
        return users[0]
    raise ConfigError(
        "this ledger has several users: say who you are with --user NAME "
        "(or NETFOLIO_USER=NAME)"
    )


def acting_for(base: Database, user: str | int | None) -> Database:
    """``base`` acting for ``user`` (a username, an id, or None for the ledger's only user;
    see :func:`resolve_user`), after :func:`check_isolation`."""
    user_id = user if isinstance(user, int) else resolve_user(base, user)
    database = base if user_id == base.user_id else base.for_user(user_id)
    check_isolation(database)
    return database


__all__ = [
    "MIN_PASSWORD",
    "TOKEN_PREFIX",
    "UserInfo",
    "acting_for",
    "acting_user",
    "authenticate",
    "check_isolation",
    "check_username",
    "create_token",
    "create_user",
    "get_user",
    "hash_password",
    "is_team",
    "list_tokens",
    "list_users",
    "password_matches",
    "resolve_user",
    "revoke_token",
    "role_bypasses_rls",
    "set_password",
    "user_for_token",
]
