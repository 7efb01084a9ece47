"""The guards: CSRF, escaping, loopback and passwords, sessions, hosts, upload limits."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_helpers import BASE, MALICIOUS, csrf_of, form_token

from netfolio.errors import ConfigError


def test_form_posts_without_the_csrf_token_are_refused(client: TestClient, net: Any) -> None:
    ana = net.get("Ana")
    before = len(net.ledger(ana.id).interactions)
    for data in ({"note": "forged"}, {"note": "forged", "csrf_token": "guess"}):
        response = client.post(f"/people/{ana.id}/log", data=data)
        assert response.status_code == 403
        assert "CSRF" in response.text
    assert client.post("/people", data={"name": "Forged"}).status_code == 403
    assert client.post("/settings/me", data={"name": "Forged"}).status_code == 403
    assert len(net.ledger(ana.id).interactions) == before
    assert net.me().name == "Sam Rivera"
    token = form_token(client.get("/").text)
    assert client.post(f"/people/{ana.id}/log",
                       data={"note": "real", "csrf_token": token}).status_code == 303


def test_api_writes_need_the_csrf_header(client: TestClient, net: Any) -> None:
    body = {"people": ["Ana"], "note": "forged"}
    assert client.post("/api/v1/interactions", json=body).status_code == 403
    assert client.post("/api/v1/interactions", json=body,
                       headers={"X-CSRF-Token": "x" * 43}).status_code == 403
    assert client.delete(f"/api/v1/people/{net.get('Ben').id}").status_code == 403
    # a page of another site cannot send the cookie with a token it cannot read
    other = TestClient(client.app, base_url=BASE)
    stolen = csrf_of(client)
    assert other.post("/api/v1/interactions", json=body,
                      headers={"X-CSRF-Token": stolen}).status_code == 403
    ok = client.post("/api/v1/interactions", json=body, headers={"X-CSRF-Token": stolen})
    assert ok.status_code == 201


def test_a_malicious_name_is_shown_as_text_everywhere(client: TestClient, net: Any) -> None:
    evil = net.get(MALICIOUS)
    net.log([evil.id], intent="catch_up", channel="call", note="<i>x</i><script>bad()</script>")
    net.knows(evil.id, net.get("Ana").id)
    pages = ["/", "/people", f"/people?q={MALICIOUS}", f"/people/{evil.id}",
             f"/people/{evil.id}/edit", "/map", "/ask?need=evil", f"/people/{net.get('Ana').id}"]
    for url in pages:
        html = client.get(url).text
        assert "<script>alert" not in html, url
        assert "<script>bad" not in html and "<i>x</i>" not in html, url
        assert "<img src=x" not in html and "<b>Evil</b>" not in html, url
    person = client.get(f"/people/{evil.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in person
    assert "&lt;b&gt;Evil&lt;/b&gt; Corp" in person
    api = client.get(f"/api/v1/people/{evil.id}").json()
    assert api["display_name"] == MALICIOUS  # the API returns the data; JSON is not HTML


def test_pages_forbid_inline_script_and_framing(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "<script>" not in response.text  # only <script src=...> of our own


def test_listening_beyond_loopback_needs_a_password(db_url: str) -> None:
    from netfolio.core.users import hash_password
    from netfolio.web import create_app
    from netfolio.web.security import is_loopback

    for host in ("0.0.0.0", "192.168.1.20", "::", "example.org"):
        assert not is_loopback(host)
        with pytest.raises(ConfigError, match="set-password"):
            create_app(db_url, host=host)
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert is_loopback(host)
    app = create_app(db_url, host="0.0.0.0", password_hash=hash_password("correct horse"))
    app.state.ctx.net.close()


def test_serve_command_refuses_a_public_host_without_a_password(sqlite_url: str) -> None:
    from netfolio.cli.app import app
    from netfolio.core.users import password_matches
    from netfolio.network import Network
    from netfolio.web.app import stored_password_hash

    runner = CliRunner()
    refused = runner.invoke(app, ["--db", sqlite_url, "serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 1
    assert "--set-password" in refused.output
    short = runner.invoke(app, ["--db", sqlite_url, "serve", "--set-password"],
                          input="short\nshort\n")
    assert short.exit_code == 1 and "8 characters" in short.output
    set_it = runner.invoke(app, ["--db", sqlite_url, "serve", "--set-password"],
                           input="correct horse\ncorrect horse\n")
    assert set_it.exit_code == 0, set_it.output
    with Network(sqlite_url) as net:
        stored = stored_password_hash(net)
    assert stored and stored.startswith("$argon2") and "correct horse" not in stored
    assert password_matches(stored, "correct horse")


def test_with_a_password_every_page_needs_a_login(make_client: Any, net: Any) -> None:
    from netfolio.core.users import hash_password
    from netfolio.web.app import store_password_hash

    store_password_hash(net, hash_password("correct horse"))
    client = make_client()
    page = client.get("/people?q=ana")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fpeople%3Fq%3Dana"
    assert client.get("/api/v1/people").status_code == 401
    assert client.get("/static/netfolio.css").status_code == 200
    login = client.get("/login?next=/people")
    assert login.status_code == 200 and 'type="password"' in login.text
    token = form_token(login.text)
    wrong = client.post("/login", data={"password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "Wrong password" in wrong.text
    assert client.post("/login", data={"password": "correct horse"}).status_code == 403
    right = client.post("/login", data={"password": "correct horse", "csrf_token": token,
                                        "next": "/people"})
    assert right.status_code == 303 and right.headers["location"] == "/people"
    assert client.get("/people").status_code == 200
    assert client.get("/api/v1/people").status_code == 200
    fresh = form_token(client.get("/").text)
    assert fresh != token, "a new CSRF token after logging in"
    out = client.post("/logout", data={"csrf_token": fresh})
    assert out.status_code == 303
    assert client.get("/").status_code == 303


def test_login_goes_only_to_pages_of_this_server(make_client: Any, net: Any) -> None:
    from netfolio.core.users import hash_password
    from netfolio.web.app import store_password_hash

    store_password_hash(net, hash_password("correct horse"))
    client = make_client()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = form_token(client.get("/login").text)
        response = client.post("/login", data={"password": "correct horse",
                                               "csrf_token": token, "next": target})
        assert response.headers["location"] == "/"
        client.post("/logout", data={"csrf_token": form_token(client.get("/").text)})


def test_password_guessing_is_slowed_down(make_client: Any, net: Any) -> None:
    from netfolio.core.users import hash_password
    from netfolio.web.app import store_password_hash

    store_password_hash(net, hash_password("correct horse"))
    client = make_client()
    token = form_token(client.get("/login").text)
    codes = [client.post("/login", data={"password": f"guess{i}", "csrf_token": token})
             .status_code for i in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    blocked = client.post("/login", data={"password": "correct horse", "csrf_token": token})
    assert blocked.status_code == 429


def test_a_tampered_session_cookie_is_no_session(make_client: Any, net: Any) -> None:
    from netfolio.core.users import hash_password
    from netfolio.web.app import store_password_hash
    from netfolio.web.security import COOKIE

    store_password_hash(net, hash_password("correct horse"))
    client = make_client()
    token = form_token(client.get("/login").text)
    client.post("/login", data={"password": "correct horse", "csrf_token": token})
    assert client.get("/").status_code == 200
    value = client.cookies[COOKIE]
    client.cookies.set(COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/").status_code == 303


def test_only_loopback_host_names_are_answered(make_client: Any) -> None:
    client = make_client()
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200
    rebound = client.get("/api/v1/people", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400


def test_uploads_over_the_limit_are_refused(make_client: Any, net: Any) -> None:
    client = make_client(max_upload_bytes=2048)
    token = form_token(client.get("/import").text)
    big = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n" * 200
    response = client.post("/import", data={"csrf_token": token},
                           files={"file": ("big.vcf", big, "text/vcard")})
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert net.count() == 0

    def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b"x" * 1024

    streamed = client.post("/api/v1/check", content=chunks(),
                           headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_an_uploaded_file_name_never_becomes_a_path(client: TestClient, net: Any,
                                                    tmp_path: Any) -> None:
    from netfolio.web.pages.imports import safe_name

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\Windows\\evil.vcf") == "evil.vcf"
    assert safe_name("/abs/path/Connections.csv") == "Connections.csv"
    assert safe_name("...") == "upload"
    assert safe_name(None) == "upload"
    assert "/" not in safe_name("a/b/c/../../x y;z.vcf")
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Path Test\r\nEND:VCARD\r\n"
    token = form_token(client.get("/import").text)
    response = client.post("/import", data={"csrf_token": token},
                           files={"file": ("../../../../tmp/owned.vcf", card, "text/vcard")})
    assert response.status_code == 200
    assert "owned.vcf" in response.text
    import os

    assert not os.path.exists("/tmp/owned.vcf")
