"""Where netfolio keeps its data and which database it talks to.

The default is one SQLite file in the user's data directory (``platformdirs``), created
on first use. ``--db`` on the command line or the ``NETFOLIO_DB`` environment variable
choose another: a file path, or a SQLAlchemy URL such as
``postgresql+psycopg://user@localhost/netfolio``.
"""

from __future__ import annotations

import os
from pathlib import Path

from netfolio.errors import ConfigError

APP_NAME = "netfolio"
ENV_DB = "NETFOLIO_DB"


def data_dir() -> Path:
    """The per-user directory netfolio writes to (created on demand)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / "netfolio.db"


def resolve_db_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db``/``NETFOLIO_DB``/the default into a SQLAlchemy URL.

    >>> resolve_db_url("/tmp/x.db")
    'sqlite:////tmp/x.db'
    """
    value = os.fspath(db) if db is not None else os.environ.get(ENV_DB) or None
    if value is None:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    value = value.strip()
    if not value:
        raise ConfigError("the database is empty: give a file path or a URL")
    if "://" in value:
        scheme = value.split("://", 1)[0]
        if scheme.startswith("postgres"):
            if scheme in ("postgres", "postgresql"):
                value = "postgresql+psycopg://" + value.split("://", 1)[1]
            return value
        if scheme.startswith("sqlite"):
            return value
        raise ConfigError(
            f"unsupported database URL scheme {scheme!r}: use a file path, sqlite:///PATH "
            "or postgresql+psycopg://..."
        )
    path = Path(value).expanduser()
    if path.is_dir():
        raise ConfigError(f"{path} is a directory: give a database file path")
    if not path.parent.exists():
        raise ConfigError(f"the folder {path.parent} does not exist")
    return f"sqlite:///{path.resolve()}"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory or non-SQLite database."""
    if not is_sqlite(url):
        return None
    rest = url.split(":///", 1)[1] if ":///" in url else ""
    if not rest or rest == ":memory:" or rest.startswith("file::memory:"):
        return None
    return Path(rest.split("?", 1)[0])
