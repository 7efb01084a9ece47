from __future__ import annotations

from pathlib import Path

import pytest

from netfolio.config import resolve_db_url, sqlite_path
from netfolio.errors import ConfigError


def test_default_is_a_file_in_the_data_dir(tmp_path: Path) -> None:
    url = resolve_db_url(None)
    path = sqlite_path(url)
    assert path is not None and path.name == "netfolio.db"
    assert path.parent.is_dir()
    assert str(path).startswith(str(tmp_path.parent.parent))  # the isolated XDG_DATA_HOME


def test_env_var_and_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETFOLIO_DB", str(tmp_path / "team.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'team.db'}"
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_postgres_urls() -> None:
    assert resolve_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_bad_locations(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_db_url(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(ConfigError, match="directory"):
        resolve_db_url(str(tmp_path))
    with pytest.raises(ConfigError, match="scheme"):
        resolve_db_url("mysql://u@h/db")
