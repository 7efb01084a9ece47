"""Sessions as OWASP ASVS V3 asks: held on the server, ended by logout and by a new
password (even across a restart), throttled per account and per address; no-store on
private answers; a Secure cookie behind TLS; only the host names the server was started for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import BASE, form_token

from netfolio.web.security import COOKIE


def _personal_login(client: TestClient, password: str) -> int:
    token = form_token(client.get("/login").text)
    return client.post("/login", data={"password": password, "csrf_token": token}).status_code


def _replay(client: TestClient, cookie: str) -> TestClient:
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)
    return client


@pytest.fixture
def with_password(net: Any) -> Any:
    from netfolio.core.users import hash_password
    from netfolio.web.app import store_password_hash

    store_password_hash(net, hash_password("correct horse"))
    return net


def test_a_cookie_replayed_after_logout_is_no_login(make_client: Any,
                                                    with_password: Any) -> None:
    client = make_client()
    assert _personal_login(client, "correct horse") == 303
    cookie = client.cookies[COOKIE]
    assert client.get("/api/v1/people").status_code == 200
    out = client.post("/logout", data={"csrf_token": form_token(client.get("/").text)})
    assert out.status_code == 303
    replayed = _replay(client, cookie)
    assert replayed.get("/api/v1/people").status_code == 401
    assert replayed.get("/").status_code == 303


def test_a_new_password_ends_every_session_even_after_a_restart(
        make_client: Any, with_password: Any, db_url: str) -> None:
    from netfolio.cli.app import app

    running = make_client()
    assert _personal_login(running, "correct horse") == 303
    cookie = running.cookies[COOKIE]
    changed = CliRunner().invoke(app, ["--db", db_url, "serve", "--set-password"],
                                 input="battery staple\nbattery staple\n")
    assert changed.exit_code == 0, changed.output
    assert "Logged out: 1 browser" in " ".join(changed.output.split())
    # the running server: the old cookie and the old password are refused, the new one works
    assert _replay(running, cookie).get("/api/v1/people").status_code == 401
    running.cookies.clear()
    assert _personal_login(running, "correct horse") == 401
    assert _personal_login(running, "battery staple") == 303
    # a server started later refuses the old cookie too
    restarted = make_client()
    assert _replay(restarted, cookie).get("/api/v1/people").status_code == 401


def test_private_answers_are_never_cached_static_files_may_be(make_client: Any) -> None:
    client = make_client()
    for path in ("/", "/people", "/api/v1/people", "/login", "/api/v1/openapi.json",
                 "/no-such-page"):
        assert client.get(path).headers.get("cache-control") == "no-store", path
    assert "no-store" not in client.get("/static/netfolio.css").headers.get(
        "cache-control", "")


def test_the_cookie_is_secure_behind_tls_only_when_asked(make_client: Any) -> None:
    plain = make_client()
    page = plain.get("/login")
    assert "secure" not in page.headers["set-cookie"].lower()
    assert "strict-transport-security" not in page.headers
    secure = TestClient(make_client(secure_cookie=True).app, base_url="https://127.0.0.1",
                        follow_redirects=False)
    page = secure.get("/login")
    assert "; Secure" in page.headers["set-cookie"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    from netfolio.cli.app import app

    help_text = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "--secure-cookies" in help_text and "--allowed-host" in help_text


@pytest.mark.parametrize("host", [
    "127.0.0.1:8000@evil.example", "evil.example", "127.0.0.1.evil.example",
    "127.0.0.1:8000/evil", "127.0.0.1 evil", "user@127.0.0.1", "127.0.0.1:80:80",
    "localhost:8000@evil.example", "[::1]@evil.example", "", "127.0.0.1:99999999",
])
def test_a_loopback_server_answers_only_loopback_names(make_client: Any, host: str) -> None:
    client = make_client()
    assert client.get("/api/v1/people", headers={"Host": host}).status_code == 400


def test_a_public_server_answers_only_its_names(make_client: Any) -> None:
    from netfolio.core.users import hash_password
    from netfolio.web.security import host_name

    client = make_client(host="0.0.0.0", password_hash=hash_password("correct horse"),
                         allowed_hosts=frozenset({"netfolio.example.org"}))
    assert client.get("/login", headers={"Host": "netfolio.example.org"}).status_code == 200
    assert client.get("/login", headers={"Host": "NETFOLIO.example.org:443"}
                      ).status_code == 200
    for other in ("evil.example", "netfolio.example.org@evil.example", "127.0.0.1"):
        assert client.get("/login", headers={"Host": other}).status_code == 400
    assert host_name("netfolio.example.org:8443") == "netfolio.example.org"
    assert host_name("a@b") is None


def test_serve_names_the_hosts_it_answers() -> None:
    from netfolio.cli.web_cmds import _allowed
    from netfolio.errors import ConfigError

    assert _allowed("127.0.0.1", []) is None  # create_app's loopback names
    assert _allowed("0.0.0.0", []) is None
    assert _allowed("0.0.0.0", ["crm.example.org"]) == frozenset({"crm.example.org"})
    assert _allowed("192.168.1.20", ["crm.example.org"]) == frozenset(
        {"crm.example.org", "192.168.1.20"})
    with pytest.raises(ConfigError):
        _allowed("0.0.0.0", ["a@b"])


def test_the_throttle_holds_an_account_and_an_address_apart() -> None:
    from netfolio.web.security import LoginThrottle

    throttle = LoginThrottle()
    for _ in range(5):
        throttle.failed("bob", "10.0.0.1")
    assert throttle.blocked("bob", "10.0.0.2")  # Bob's account waits, from anywhere
    assert not throttle.blocked("ana", "10.0.0.1")  # Ana, from the same address, does not
    for i in range(15):
        throttle.failed(f"guess{i}", "10.0.0.1")
    assert throttle.blocked("ana", "10.0.0.1")  # 20 failures from one address: it waits
    assert not throttle.blocked("ana", "10.0.0.9")
    small = LoginThrottle(keep=10)
    for i in range(100):
        small.failed(f"u{i}", f"10.0.{i}.1")
    assert len(small.failures) <= 10


# -- team mode (PostgreSQL) ---------------------------------------------------------------


@pytest.fixture
def team_client(team: Any) -> Any:
    from netfolio.web import create_app

    app = create_app(team.url)
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app, base_url=BASE, follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
    app.state.ctx.net.close()


def _team_login(client: TestClient, username: str, password: str) -> int:
    token = form_token(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token}).status_code


@pytest.mark.postgres
def test_team_sessions_end_with_logout_and_with_a_new_password(
        team_client: Callable[[], TestClient], team: Any) -> None:
    from netfolio.cli.app import app

    ana = team_client()
    assert _team_login(ana, "ana", team.passwords["ana"]) == 303
    first = ana.cookies[COOKIE]
    ana.post("/logout", data={"csrf_token": form_token(ana.get("/").text)})
    assert _replay(ana, first).get("/api/v1/people").status_code == 401
    ana.cookies.clear()
    assert _team_login(ana, "ana", team.passwords["ana"]) == 303
    second = ana.cookies[COOKIE]
    bob = team_client()
    assert _team_login(bob, "bob", team.passwords["bob"]) == 303
    changed = CliRunner().invoke(app, ["--db", team.url, "team", "set-password", "ana",
                                       "--password-stdin"], input="ana-new-password\n")
    assert changed.exit_code == 0, changed.output
    assert _replay(ana, second).get("/api/v1/people").status_code == 401
    assert bob.get("/api/v1/people").status_code == 200  # Bob's session is his own
    ana.cookies.clear()
    assert _team_login(ana, "ana", team.passwords["ana"]) == 401
    assert _team_login(ana, "ana", "ana-new-password") == 303


@pytest.mark.postgres
def test_five_wrong_passwords_for_bob_do_not_lock_ana_out(
        team_client: Callable[[], TestClient], team: Any) -> None:
    client = team_client()
    codes = [_team_login(client, "bob", f"guess-{i:04d}") for i in range(6)]
    assert codes == [401] * 5 + [429]
    assert _team_login(client, "bob", team.passwords["bob"]) == 429
    assert _team_login(team_client(), "ana", team.passwords["ana"]) == 303
