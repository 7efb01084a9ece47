"""Team mode in the web app and the JSON API: logins, tokens, the Team page, and isolation.

Ana and Bob share one PostgreSQL database (the ``team`` fixture). Ana shares Jane Roe and
keeps private notes and interactions about her; Bob keeps Sam Poe private. Bob tries to
read and change Ana's data through every door the web app has, and must fail every time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from web_helpers import BASE, csrf_of, form_token

ANA_SECRETS = ("Ana's private note", "Ana's private interaction", "jane@stripe.example")
BOB_SECRETS = ("Bob's private note", "sam@stripe.example")


@pytest.fixture
def team_app(team: Any) -> Iterator[Any]:
    from netfolio.web import create_app

    app = create_app(team.url)
    yield app
    app.state.ctx.net.close()


@pytest.fixture
def make(team_app: Any) -> Iterator[Callable[[], TestClient]]:
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(team_app, base_url=BASE, follow_redirects=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def login(client: TestClient, username: str, password: str) -> TestClient:
    page = client.get("/login")
    assert page.status_code == 200, page.text
    response = client.post("/login", data={
        "username": username, "password": password, "next": "/",
        "csrf_token": form_token(page.text)})
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def ana(make: Callable[[], TestClient], team: Any) -> TestClient:
    return login(make(), "ana", team.passwords["ana"])


@pytest.fixture
def bob(make: Callable[[], TestClient], team: Any) -> TestClient:
    return login(make(), "bob", team.passwords["bob"])


def posted(client: TestClient, url: str, data: dict[str, Any] | None = None) -> Any:
    """A form post from a page, with the session's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_of(client)})


def api(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    """An API call with the session's CSRF token."""
    headers = {"X-CSRF-Token": csrf_of(client)}
    return client.request(method, url, headers=headers, **kwargs)


def leaks(text: str, secrets: tuple[str, ...] = ANA_SECRETS) -> list[str]:
    plain = html.unescape(text)
    return [s for s in secrets if s in plain or s in text]


pytestmark = pytest.mark.postgres


# -- logging in -----------------------------------------------------------------------------


def test_every_page_and_api_call_needs_a_member(make: Callable[[], TestClient]) -> None:
    client = make()
    for path in ("/", "/people", "/team", "/settings", "/map", "/ask"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    for path in ("/api/v1/people", "/api/v1/portfolio", "/api/v1/team/me",
                 "/api/v1/team/ask?organisation=Stripe"):
        assert client.get(path).status_code == 401, path
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert "/static/netfolio.css" in page.text


def test_wrong_password_is_refused_and_login_and_logout_work(
    make: Callable[[], TestClient], team: Any
) -> None:
    client = make()
    token = form_token(client.get("/login").text)
    for username, password in (("ana", "not-her-password"), ("nobody", "whatever-1"),
                               ("ana", team.passwords["bob"])):
        wrong = client.post("/login", data={"username": username, "password": password,
                                            "csrf_token": token, "next": "/"})
        assert wrong.status_code == 401
        assert "Wrong username or password." in wrong.text
        assert client.get("/").status_code == 303

    login(client, "ana", team.passwords["ana"])
    home = client.get("/")
    assert home.status_code == 200
    assert "Log out (Ana Núñez)" in home.text
    assert 'href="/team"' in home.text
    assert client.get("/api/v1/team/me").json()["username"] == "ana"
    assert client.get("/login").status_code == 303  # logged in already

    out = posted(client, "/logout")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert client.get("/").status_code == 303
    assert client.get("/api/v1/people").status_code == 401


def test_login_throttle_slows_guessing(make: Callable[[], TestClient], team: Any) -> None:
    client = make()
    token = form_token(client.get("/login").text)
    codes = [client.post("/login", data={"username": "ana", "password": f"guess-{i:04d}",
                                         "csrf_token": token}).status_code
             for i in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    right = client.post("/login", data={"username": "ana", "password": team.passwords["ana"],
                                        "csrf_token": token})
    assert right.status_code == 429  # even the right password waits


def test_cookie_calls_still_need_the_csrf_token(bob: TestClient) -> None:
    refused = bob.post("/api/v1/people", json={"name": "No Token"})
    assert refused.status_code == 403
    made = api(bob, "POST", "/api/v1/people", json={"name": "With Token"})
    assert made.status_code == 201


def test_a_bearer_token_works_for_the_api_and_a_revoked_one_does_not(
    make: Callable[[], TestClient], team: Any
) -> None:
    token, info = team.bob.team.create_token("script")
    client = make()
    auth = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/team/me", headers=auth)
    assert me.status_code == 200 and me.json()["username"] == "bob"
    assert "set-cookie" not in me.headers
    made = client.post("/api/v1/people", json={"name": "Token Made"}, headers=auth)
    assert made.status_code == 201, made.text  # no cookie: no CSRF token needed
    assert team.bob.get("Token Made").id == made.json()["id"]
    names = {p["display_name"] for p in client.get("/api/v1/people", headers=auth)
             .json()["people"]}
    assert names == {"Sam Poe", "Token Made"}
    assert client.get("/", headers=auth).status_code == 303  # pages need a login

    for bad in ("nf_not-a-token", token + "x", ""):
        refused = client.get("/api/v1/team/me", headers={"Authorization": f"Bearer {bad}"})
        assert refused.status_code == 401, bad

    team.bob.team.revoke_token(info.id)
    assert client.get("/api/v1/team/me", headers=auth).status_code == 401
    assert client.post("/api/v1/people", json={"name": "After Revoke"},
                       headers=auth).status_code == 401
    assert team.bob.people("After Revoke") == []


# -- isolation ------------------------------------------------------------------------------


def _ana_ids(team: Any) -> tuple[int, int]:
    ledger = team.ana.ledger("Jane Roe")
    return ledger.person.id, ledger.interactions[0].id


def _ana_unchanged(team: Any) -> None:
    ledger = team.ana.ledger("Jane Roe")
    assert ledger.person.notes == "Ana's private note"
    assert ledger.person.organisation == "Stripe, Inc."
    assert [i.note for i in ledger.interactions] == ["Ana's private interaction"]


@pytest.mark.parametrize("via", ["cookie", "token"])
def test_bob_cannot_read_or_change_anas_people_through_the_api(
    make: Callable[[], TestClient], team: Any, via: str
) -> None:
    jane, interaction = _ana_ids(team)
    client = make()
    headers: dict[str, str] = {}
    if via == "token":
        token, _ = team.bob.team.create_token("isolation")
        headers = {"Authorization": f"Bearer {token}"}
    else:
        login(client, "bob", team.passwords["bob"])
        headers = {"X-CSRF-Token": csrf_of(client)}

    def call(method: str, url: str, **kwargs: Any) -> Any:
        response = client.request(method, url, headers=headers, **kwargs)
        assert not leaks(response.text), (method, url)
        return response

    for url in (f"/api/v1/people/{jane}", f"/api/v1/people/{jane}/ledger",
                f"/api/v1/people/{jane}/why"):
        assert call("GET", url).status_code == 404, url
    people = call("GET", "/api/v1/people").json()
    assert [p["display_name"] for p in people["people"]] == ["Sam Poe"]
    for q in ("Jane", "Roe", "jane@stripe.example", "Ana's private", "Stripe, Inc"):
        assert call("GET", "/api/v1/people", params={"q": q}).json()["total"] == 0, q
    assert call("GET", "/api/v1/people",
                params={"organisation": "Stripe"}).json()["total"] == 1

    logged = call("POST", "/api/v1/interactions",
                  json={"people": [jane], "note": "Bob was here", "intent": "give"})
    assert logged.status_code == 404
    assert call("POST", "/api/v1/interactions",
                json={"people": ["Jane Roe"], "note": "Bob was here"}).status_code == 404
    assert call("PATCH", f"/api/v1/people/{jane}",
                json={"notes": "Bob wrote this"}).status_code == 404
    assert call("DELETE", f"/api/v1/people/{jane}").status_code == 404
    assert call("DELETE", f"/api/v1/interactions/{interaction}").status_code == 404
    assert call("POST", "/api/v1/asks",
                json={"person": jane, "what": "a favour"}).status_code in (404, 422)
    assert call("POST", f"/api/v1/people/{jane}/compose", json={}).status_code in (404, 405)
    _ana_unchanged(team)

    folio = call("GET", "/api/v1/portfolio").json()
    assert folio["connections"] + folio["relationships"] == 1  # Sam Poe only
    for url in ("/api/v1/plan", "/api/v1/fields", "/api/v1/me", "/api/v1/team/sharing",
                "/api/v1/team/requests", "/api/v1/team/ask?organisation=Stripe",
                "/api/v1/ask?company=Stripe"):
        assert call("GET", url).status_code == 200, url


def test_bob_cannot_accept_or_see_a_request_addressed_to_ana(
    bob: TestClient, make: Callable[[], TestClient], team: Any
) -> None:
    team.bob.team.share(person="Sam Poe")
    entry = team.ana.team.ask(organisation="Stripe").paths[0].introducers[0]
    assert entry.teammate == "Bob Li"
    asked = team.ana.team.request_intro(entry.entry_id, "Ana's request")
    # addressed to Bob: Ana cannot decide it for him
    ana = login(make(), "ana", team.passwords["ana"])
    for decision in ("accept", "decline"):
        refused = api(ana, "POST", f"/api/v1/team/requests/{asked.id}/{decision}")
        assert refused.status_code == 422, refused.text
    # one Bob made to Ana: Bob cannot accept it himself, nor withdraw Ana's
    jane_entry = team.bob.team.ask(organisation="Stripe").paths[0].introducers[0]
    mine = team.bob.team.request_intro(jane_entry.entry_id, "please")
    for decision in ("accept", "decline"):
        assert api(bob, "POST", f"/api/v1/team/requests/{mine.id}/{decision}"
                   ).status_code == 422
    assert api(ana, "POST", f"/api/v1/team/requests/{mine.id}/withdraw").status_code == 422
    assert posted(bob, f"/team/requests/{mine.id}/accept").status_code == 422
    assert team.ana.team.requests()[0].status == "pending"
    assert team.ana.ledger("Jane Roe").interactions[0].intent == "catch_up"
    # a third party's request is unknown
    third = team.ana.team.requests("pending")
    assert {r.id for r in third} == {asked.id, mine.id}


def test_bob_cannot_reach_anas_people_through_the_pages(bob: TestClient, team: Any) -> None:
    jane, interaction = _ana_ids(team)
    for url in (f"/people/{jane}", f"/people/{jane}/edit", f"/people/{jane}?all=1"):
        response = bob.get(url)
        assert response.status_code == 404, url
        assert not leaks(response.text)
    for url, data in (
        (f"/people/{jane}/log", {"note": "Bob was here", "intent": "give"}),
        (f"/people/{jane}/edit", {"name": "Bob's Jane", "notes": "Bob wrote this"}),
        (f"/people/{jane}/delete", {"confirm": "yes"}),
        (f"/people/{jane}/knows", {"other": "Sam Poe"}),
        (f"/people/{jane}/compose", {"purpose": "learn"}),
        (f"/people/{jane}/share", {"share": "keep"}),
        (f"/interactions/{interaction}/delete", {"back": str(jane)}),
        (f"/plan/{jane}/done", {"channel": "call"}),
        (f"/team/sharing/people/{jane}/remove", {}),
        ("/team/sharing/people", {"person": "Jane Roe", "share": "keep"}),
    ):
        response = posted(bob, url, data)
        assert response.status_code in (404, 422), (url, response.status_code)
        assert not leaks(response.text), url
    found = bob.get("/people", params={"q": "Jane"})
    assert found.status_code == 200 and "Jane Roe" not in found.text
    assert "Jane Roe" not in bob.get("/people").text
    _ana_unchanged(team)
    assert team.ana.team.sharing().people[0][2] is True  # her rule for Jane still stands


def _walk(client: TestClient, start: list[str], limit: int = 150) -> dict[str, str]:
    """Every page reachable by links from ``start`` (GET only, this server only)."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.text
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for href in re.findall(r'href="([^"#]*)', response.text):
            target = urljoin(BASE + url, html.unescape(href))
            parts = urlsplit(target)
            if parts.netloc != urlsplit(BASE).netloc or parts.path.startswith("/static/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen and path not in queue:
                queue.append(path)
    return seen


def test_nothing_of_anas_appears_on_any_page_bob_can_reach(
    bob: TestClient, ana: TestClient, team: Any
) -> None:
    team.bob.team.share(person="Sam Poe")
    entry = team.bob.team.ask(organisation="Stripe").paths[0].introducers[0]
    request = team.bob.team.request_intro(entry.entry_id, "Bob's message")
    team.ana.team.accept(request.id)
    team.ana.team.outcome(request.id, "met for coffee")
    pages = _walk(bob, ["/", "/people", "/team", "/team?organisation=Stripe",
                        "/ask?company=Stripe", "/ask?need=payments&company=Stripe",
                        "/map", "/settings", "/import", "/people?q=Jane",
                        "/api/v1/portfolio", "/api/v1/plan", "/api/v1/team/requests",
                        "/api/v1/team/ask?organisation=Stripe", "/api/v1/openapi.json"])
    assert len(pages) > 10
    for url, text in pages.items():
        assert not leaks(text), url
    assert "Jane Roe" in pages["/team?organisation=Stripe"]  # only what Ana shares
    # and the other way round: Ana sees nothing private of Bob's
    for url, text in _walk(ana, ["/", "/people", "/team", "/team?organisation=Stripe",
                                 "/api/v1/team/requests"]).items():
        assert not leaks(text, BOB_SECRETS), url


# -- the Team page and the team API ---------------------------------------------------------


def test_team_ask_request_accept_through_the_api(
    bob: TestClient, ana: TestClient, team: Any
) -> None:
    answer = bob.get("/api/v1/team/ask", params={"organisation": "Stripe"})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert [lead["teammate"] for lead in data["leads"]] == ["Ana Núñez"]
    (path,) = data["paths"]
    assert path["name"] == "Jane Roe" and path["organisation"] == "Stripe, Inc."
    (introducer,) = path["introducers"]
    assert introducer["teammate"] == "Ana Núñez"
    assert introducer["strength"] in ("strong", "familiar", "weak")
    assert not leaks(answer.text)

    made = api(bob, "POST", "/api/v1/team/requests",
               json={"entry_id": introducer["entry_id"], "message": "Keen on payments"})
    assert made.status_code == 201, made.text
    request = made.json()
    assert request["status"] == "pending" and request["direction"] == "outgoing"
    again = api(bob, "POST", "/api/v1/team/requests", json={"entry_id": introducer["entry_id"]})
    assert again.status_code == 422  # one pending request per person

    incoming = ana.get("/api/v1/team/requests", params={"status": "pending"}).json()
    assert [(r["id"], r["direction"], r["message"]) for r in incoming] == [
        (request["id"], "incoming", "Keen on payments")]
    accepted = api(ana, "POST", f"/api/v1/team/requests/{request['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    outcome = api(ana, "POST", f"/api/v1/team/requests/{request['id']}/outcome",
                  json={"outcome": "met for coffee"})
    assert outcome.json()["outcome"] == "met for coffee"

    seen = bob.get("/api/v1/team/requests").json()
    assert [(r["id"], r["status"]) for r in seen] == [(request["id"], "accepted")]
    assert not leaks(bob.get("/api/v1/team/requests").text)
    gives = [i for i in team.ana.ledger("Jane Roe").interactions if i.intent == "give"]
    assert len(gives) == 1 and "Bob Li" in (gives[0].note or "")
    assert team.bob.people("Jane") == []  # an introduction copies nothing into Bob's ledger
    assert api(bob, "POST", f"/api/v1/team/requests/{request['id']}/withdraw"
               ).status_code == 422  # accepted already


def test_team_page_request_accept_outcome_and_withdraw(
    bob: TestClient, ana: TestClient, team: Any
) -> None:
    page = bob.get("/team", params={"organisation": "Stripe"})
    assert page.status_code == 200
    assert "Jane Roe" in page.text and "Ana Núñez" in page.text
    assert "Request introduction" in page.text
    entry_id = re.search(r'name="entry_id" value="(\d+)"', page.text)
    assert entry_id
    sent = posted(bob, "/team/requests", {"entry_id": entry_id.group(1),
                                          "message": "Could you introduce me?"})
    assert sent.status_code == 303 and sent.headers["location"] == "/team#outgoing"
    mine = bob.get("/team")
    assert "Asked Ana Núñez to introduce you to Jane Roe." in mine.text
    (request,) = team.bob.team.requests()
    assert f'action="/team/requests/{request.id}/withdraw"' in mine.text

    theirs = ana.get("/team").text
    assert "Could you introduce me?" in theirs
    assert f'action="/team/requests/{request.id}/accept"' in theirs
    assert f'action="/team/requests/{request.id}/decline"' in theirs
    assert posted(ana, f"/team/requests/{request.id}/accept").status_code == 303
    after = ana.get("/team").text
    assert "logged as a give" in after
    assert f'action="/team/requests/{request.id}/outcome"' in after
    assert posted(ana, f"/team/requests/{request.id}/outcome",
                  {"outcome": "met for coffee"}).status_code == 303
    assert "met for coffee" in ana.get("/team").text
    status = bob.get("/team").text
    assert "accepted" in status and f"/team/requests/{request.id}/withdraw" not in status

    # a second one, withdrawn while pending; declining works for Ana
    team.ana.add("Lee Park", organisation="Stripe, Inc.", title="Designer")
    team.ana.team.share(person="Lee Park")
    lee = next(p for p in team.bob.team.ask(organisation="Stripe").paths
               if p.name == "Lee Park").introducers[0]
    posted(bob, "/team/requests", {"entry_id": str(lee.entry_id)})
    pending = team.bob.team.requests("pending")[0]
    assert posted(bob, f"/team/requests/{pending.id}/withdraw").status_code == 303
    assert team.ana.team.requests("withdrawn")[0].id == pending.id
    posted(bob, "/team/requests", {"entry_id": str(lee.entry_id)})
    again = team.ana.team.requests("pending")[0]
    assert posted(ana, f"/team/requests/{again.id}/decline").status_code == 303
    assert team.bob.team.requests("declined")[0].id == again.id


def test_sharing_from_the_team_page_the_person_page_and_the_api(
    bob: TestClient, ana: TestClient, team: Any
) -> None:
    sam = team.bob.get("Sam Poe").id
    person = bob.get(f"/people/{sam}")
    assert "Share with the team" in person.text and 'id="team"' in person.text
    assert posted(bob, f"/people/{sam}/share", {"share": "share"}).status_code == 303
    assert "Stop sharing with the team" in bob.get(f"/people/{sam}").text
    names = [p["name"] for p in ana.get("/api/v1/team/ask",
                                        params={"organisation": "Stripe"}).json()["paths"]]
    assert names == ["Sam Poe"]  # Ana's own Jane is not a path for her

    assert posted(bob, f"/people/{sam}/share", {"share": "keep"}).status_code == 303
    assert ana.get("/api/v1/team/ask", params={"organisation": "Stripe"}).json()["paths"] == []
    assert posted(bob, f"/team/sharing/people/{sam}/remove").status_code == 303
    assert team.bob.team.sharing().people == []

    assert posted(bob, "/team/sharing/people", {"person": "Sam Poe"}).status_code == 303
    assert [p[1] for p in team.bob.team.sharing().people] == ["Sam Poe"]
    page = bob.get("/team")
    assert "Sam Poe" in page.text and f"/team/sharing/people/{sam}/remove" in page.text

    slug = team.bob.fields()[0].slug
    assert posted(bob, "/team/sharing/fields", {"fields": [slug]}).status_code == 303
    assert team.bob.team.sharing().fields == [slug]
    assert f'value="{slug}" checked' in bob.get("/team").text
    assert posted(bob, "/team/sharing/fields", {}).status_code == 303
    assert team.bob.team.sharing().fields == []
    assert posted(bob, "/team/sharing/fields", {"fields": ["no-such"]}).status_code == 422

    rules = ana.get("/api/v1/team/sharing").json()
    assert rules == {"fields": [], "people": [
        {"id": team.ana.get("Jane Roe").id, "name": "Jane Roe", "share": True}]}
    changed = api(ana, "POST", "/api/v1/team/sharing", json={"person": "Jane Roe",
                                                            "share": False})
    assert changed.status_code == 200, changed.text
    assert changed.json()["directory"]["removed"] == 1
    assert bob.get("/api/v1/team/ask", params={"organisation": "Stripe"}).json()["paths"] == []
    assert api(ana, "POST", "/api/v1/team/sharing", json={"share": True}).status_code == 422
    assert api(ana, "POST", "/api/v1/team/sharing",
               json={"person": "Sam Poe"}).status_code == 404  # Bob's, unknown to Ana


def test_each_member_sees_their_own_figures_from_one_server(
    ana: TestClient, bob: TestClient, team: Any, team_app: Any
) -> None:
    team.ana.add("Ana Two", organisation="Acme")
    team.ana.add("Ana Three", organisation="Acme")

    def connections(client: TestClient) -> int:
        folio = client.get("/api/v1/portfolio").json()
        return int(folio["connections"] + folio["relationships"])

    for _ in range(2):
        for client, expected, mine, theirs in ((ana, 3, "Ana Two", "Sam Poe"),
                                               (bob, 1, "Sam Poe", "Ana Two")):
            home = client.get("/")
            assert home.status_code == 200
            assert connections(client) == expected
            people = client.get("/people").text
            assert mine in people and theirs not in people
    api(bob, "POST", "/api/v1/people", json={"name": "Bob Two"})
    assert connections(bob) == 2 and connections(ana) == 3
    members = team_app.state.ctx.members
    assert len(members) == 2
    ana_id, bob_id = team.ana.user_id, team.bob.user_id
    assert members.get(ana_id).cache is not members.get(bob_id).cache
    assert members.get(ana_id).cache.get().snapshot.n_people == 3
    assert members.get(bob_id).cache.get().snapshot.n_people == 2


def test_team_api_is_in_the_openapi_document(ana: TestClient) -> None:
    paths = ana.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/team/me", "/api/v1/team/ask", "/api/v1/team/requests",
                 "/api/v1/team/requests/{request_id}/{decision}",
                 "/api/v1/team/requests/{request_id}/outcome", "/api/v1/team/sharing"):
        assert path in paths, path
    assert "post" in paths["/api/v1/team/sharing"] and "get" in paths["/api/v1/team/sharing"]


def test_a_team_server_may_listen_beyond_loopback_and_has_no_shared_password(
    team: Any,
) -> None:
    from typer.testing import CliRunner

    from netfolio.cli.app import app as cli
    from netfolio.web import create_app

    app = create_app(team.url, host="0.0.0.0")  # members log in: no server password needed
    assert app.state.ctx.team and app.state.ctx.password_hash is None
    app.state.ctx.net.close()
    refused = CliRunner().invoke(cli, ["--db", team.url, "serve", "--set-password"],
                                 input="correct horse\ncorrect horse\n")
    assert refused.exit_code == 1
    assert "team set-password" in refused.output
