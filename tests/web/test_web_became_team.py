"""A server started on a personal PostgreSQL ledger stops serving once the ledger becomes a
team database (it lets visitors in as user 1, who is now a member with a password)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import BASE

pytestmark = pytest.mark.postgres


def test_a_personal_server_stops_when_the_ledger_becomes_a_team(pg_url: str) -> None:
    from netfolio.network import Network
    from netfolio.web import create_app

    with Network(pg_url) as net:
        net.add("Jane Roe", notes="private")
    app = create_app(pg_url)
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        assert client.get("/api/v1/people").status_code == 200
        with Network(pg_url) as net:
            net.team.add_user("ana", "ana-password-1")
            net.team.add_user("bob", "bob-password-1")
        refused = client.get("/api/v1/people")
        assert refused.status_code == 503 and "restart" in refused.json()["detail"]
        assert "Jane Roe" not in client.get("/").text
    app.state.ctx.net.close()
    # restarted, it serves members behind their logins
    with TestClient(create_app(pg_url), base_url=BASE, follow_redirects=False) as client:
        assert client.get("/api/v1/people").status_code == 401
