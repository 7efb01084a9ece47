"""Team mode through the services: isolation, sharing, team ask, introductions (PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.postgres


def test_fixture_smoke(team: Any) -> None:
    assert team.ana.count() == 1 and team.bob.count() == 1
