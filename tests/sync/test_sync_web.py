"""The settings page's Sources section: last sync, errors, and "sync now" (a real Dovecot)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sync_servers import ME, PASSWORD, Dovecot

from netfolio.network import Network

#: Each starts a real server (a few seconds): run once in CI, on SQLite.
pytestmark = pytest.mark.slow

ENV = "NETFOLIO_TEST_WEB_IMAP_PASSWORD"


@pytest.fixture
def client(db_url: str, net: Network, dovecot: Dovecot,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from netfolio.web import create_app

    monkeypatch.setenv(ENV, PASSWORD)
    net.init(name="Sam Rivera", emails=[ME])
    net.sync_add("imap", "mail", f"imap://127.0.0.1:{dovecot.port}", username="sam",
                 password_env=ENV, options={"plain": True})
    app = create_app(db_url)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c
    app.state.ctx.net.close()


def sync_now(client: TestClient, name: str) -> str:
    page = client.get("/settings").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post(f"/settings/sync/{name}", data={"csrf_token": token.group(1)})
    assert response.status_code == 303
    assert response.headers["location"] == "/settings#sources"
    return client.get("/settings").text


def test_sources_show_and_sync_now_imports(client: TestClient, net: Network,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    page = client.get("/settings").text
    assert 'id="sources"' in page and ">mail <" in page and "never" in page
    page = sync_now(client, "mail")
    assert "Synced mail: 10 read, 3 new people, 4 interactions added" in page
    assert "10 read, 3 new people, 4 interactions" in page  # the last sync, in the table
    assert len(net.people()) == 3
    monkeypatch.setenv(ENV, "wrong")
    page = sync_now(client, "mail")
    assert "refused the login of &#39;sam&#39;" in page
    assert page.count('class="error-text"') >= 1


def test_sync_now_without_the_token_is_refused(client: TestClient) -> None:
    response = client.post("/settings/sync/mail", data={})
    assert response.status_code in (400, 403)
