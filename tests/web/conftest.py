"""Fixtures for the web app: a TestClient over a real ledger (SQLite, or PostgreSQL with
--db-url), a small demo network, and a helper that logs in and carries the CSRF token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import BASE, MALICIOUS


@pytest.fixture
def make_client(db_url: str) -> Iterator[Callable[..., TestClient]]:
    """Build a TestClient over the test's ledger (keyword arguments go to create_app)."""
    from netfolio.web import create_app

    clients: list[TestClient] = []

    def make(**options: Any) -> TestClient:
        app = create_app(db_url, **options)
        client = TestClient(app, base_url=BASE, follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
        client.app.state.ctx.net.close()  # type: ignore[attr-defined]


@pytest.fixture
def client(make_client: Callable[..., TestClient], net: Any) -> TestClient:
    """A client over a ledger with a few people, one with a malicious name."""
    net.init(name="Sam Rivera", fields=["software"], weekly_budget=3)
    ana = net.add("Ana Núñez", emails=["ana@example.org"], organisation="Hospital Clínic",
                  title="Cardiologist", tags=["mentor"])
    ben = net.add("Ben Okafor", organisation="Northwind Bank", title="Risk Analyst")
    net.add(MALICIOUS, organisation="<b>Evil</b> Corp", title="<img src=x onerror=alert(2)>")
    net.log([ana.id], when="3 days ago", intent="catch_up", channel="call", note="Her new lab")
    net.log([ana.id], when="40 days ago", intent="give", channel="email",
            initiator="them", note="Sent a paper")
    net.log([ben.id], when="200 days ago", intent="ask", channel="message")
    net.knows(ana.id, ben.id)
    return make_client()


@pytest.fixture
def demo_client(make_client: Callable[..., TestClient], db_url: str) -> TestClient:
    """A client over a small demo network (a realistic plan, portfolio and map)."""
    from netfolio.demo import build

    build(db_url, people=120, years=3, seed=11)
    return make_client()
