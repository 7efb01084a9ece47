"""Every API answer matches the model it declares, on data that reaches every branch.

The response models are the report dataclasses themselves; these tests hold the API to what
its OpenAPI document says: every success answer of every operation is documented with a
schema that has its fields, and every answer (on the demo ledger: warm paths, snoozed and
skipped people, dormant ties, asks; the team operations on PostgreSQL) carries exactly the
fields its schema declares, of the declared types, with every required one present.

Schemathesis (test_web_schema.py) checks the same conformance on generated requests, but over
a three-person ledger where ask mode finds no warm paths, the plan snoozes nobody, and the
team operations only answer 404; these tests cover those answers.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from web_helpers import BASE, csrf_of, form_token

API = "/api/v1"


def _strict(node: Any) -> Any:
    """The schema with no undeclared field allowed in any object that lists its fields."""
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


class Conformance:
    """Sends API calls and checks each answer against the operation's documented schema."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.doc = client.get(f"{API}/openapi.json").json()
        self.components = _strict(copy.deepcopy(self.doc["components"]))
        self.operations = {(method.upper(), path) for path, item in self.doc["paths"].items()
                           for method in item}
        self.seen: set[tuple[str, str]] = set()

    def operation(self, method: str, url: str) -> str:
        """The documented path that ``url`` calls (the most literal one when several match)."""
        path = "/api/v1" + url.split("?")[0].removeprefix(API)
        found = [tpl for m, tpl in self.operations if m == method
                 and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", tpl), path)]
        assert found, f"{method} {path} is not in the OpenAPI document"
        return min(found, key=lambda tpl: tpl.count("{"))

    def call(self, method: str, url: str, *, status: int = 200, **kwargs: Any) -> Any:
        headers = {"X-CSRF-Token": csrf_of(self.client)} if method != "GET" else {}
        response = self.client.request(method, API + url, headers=headers, **kwargs)
        assert response.status_code == status, (method, url, response.text)
        template = self.operation(method, url)
        self.seen.add((method, template))
        documented = self.doc["paths"][template][method.lower()]["responses"]
        assert str(status) in documented, f"{method} {template} answers {status}, undocumented"
        content = documented[str(status)].get("content", {}).get("application/json")
        if status == 204:
            assert not response.content
            return None
        assert content is not None and content.get("schema"), (method, template, status)
        body = response.json()
        schema = {**_strict(content["schema"]), "components": self.components}
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(body),
                        key=lambda e: list(e.absolute_path))
        assert not errors, f"{method} {url}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
        return body


@pytest.fixture
def demo(demo_client: TestClient) -> Conformance:
    return Conformance(demo_client)


def test_every_operation_documents_an_answer_with_its_fields(demo: Conformance) -> None:
    """Each operation's success answer references a schema with properties (204: none), and
    each schema an answer reaches has its properties and a description."""
    components = demo.doc["components"]["schemas"]

    def reached(schema: Any, out: set[str]) -> set[str]:
        if isinstance(schema, dict):
            ref = schema.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                if name not in out:
                    out.add(name)
                    reached(components[name], out)
            for value in schema.values():
                reached(value, out)
        elif isinstance(schema, list):
            for value in schema:
                reached(value, out)
        return out

    answers: set[str] = set()
    for path, item in demo.doc["paths"].items():
        for method, op in item.items():
            ok = [code for code in op["responses"] if code.startswith("2")]
            assert len(ok) == 1, (method, path, ok)
            if ok == ["204"]:
                continue
            schema = op["responses"][ok[0]]["content"]["application/json"]["schema"]
            top = schema.get("items", schema)
            assert "$ref" in top, (method, path, schema)
            named = components[top["$ref"].rsplit("/", 1)[-1]]
            assert named.get("properties"), (method, path)
            assert named.get("description"), f"{method} {path}: the answer has no description"
            reached(schema, answers)
    assert {"PersonStanding", "WarmPath", "Snoozed", "ValuePoint", "Ref", "RequestInfo",
            "Lead", "TeamPath", "SharedPerson", "Finding"} <= answers
    for name in answers:
        props = components[name].get("properties")
        assert props, f"{name} has no fields in the OpenAPI document"
        assert set(components[name].get("required", [])) == set(props), (
            f"{name}: every field is in every answer, so every field is required")


def test_the_api_explorer_renders(demo_client: TestClient) -> None:
    page = demo_client.get("/api/docs")
    assert page.status_code == 200 and "/api/v1/openapi.json" in page.text
    assets = re.findall(r'(?:src|href)="(/static/swagger-ui/[^"]+)"', page.text)
    assert assets
    for asset in assets:
        assert demo_client.get(asset).status_code == 200, asset


def _personal_calls(c: Conformance) -> dict[str, Any]:
    """Every personal operation, on the demo ledger; returns answers the test looks into."""
    got: dict[str, Any] = {}
    c.call("GET", "/csrf")
    strongest = c.call("GET", "/people", params={"sort": "strength", "per_page": 5})
    assert strongest["people"] and strongest["people"][0]["standing"]["strength"] > 0
    c.call("GET", "/people", params={"dormant": "true", "per_page": 3})
    c.call("GET", "/people", params={"q": "a", "tier": "outer", "page": 2, "per_page": 2})
    top = strongest["people"][0]["id"]

    new = c.call("POST", "/people", status=201, json={
        "name": "Zed Conformance", "organisation": "Acme", "title": "Data Engineer",
        "emails": ["zed@example.org"], "tags": ["test"], "tier": 15})
    zed = new["id"]
    c.call("GET", f"/people/{zed}")
    c.call("PATCH", f"/people/{zed}", json={"add_phones": ["+44 20 7946 0958"], "tier": None})
    c.call("GET", f"/people/{zed}/why")
    got["ledger"] = c.call("GET", f"/people/{top}/ledger")
    got["why"] = c.call("GET", f"/people/{top}/why")

    logged = c.call("POST", "/interactions", status=201, json={
        "people": [zed, top], "when": "yesterday", "intent": "give", "note": "a paper"})
    c.call("DELETE", f"/interactions/{logged['id']}")

    got["portfolio"] = c.call("GET", "/portfolio")
    c.call("GET", "/fields")
    c.call("GET", "/me")

    plan = c.call("GET", "/plan")
    first, second, third = (item["person"]["id"] for item in plan["items"][:3])
    c.call("POST", f"/plan/{first}/done", json={"intent": "share", "note": "sent a link"})
    c.call("POST", f"/plan/{second}/skip")
    c.call("POST", f"/plan/{third}/snooze", json={"until": "in 4 weeks"})
    got["plan"] = c.call("GET", "/plan")
    c.call("GET", "/plan", params={"week": "2020-01-06"})

    got["ask"] = c.call("GET", "/ask", params={
        "need": "advice on hiring a data team", "field": "data_ai", "limit": 4})
    got["ask_direct"] = c.call("GET", "/ask", params={"need": "data", "limit": 20})
    asked = c.call("POST", "/asks", status=201, json={"person": top, "what": "an intro"})
    c.call("POST", f"/asks/{asked['id']}/resolve", json={"status": "fulfilled"})

    c.call("POST", f"/people/{top}/compose", json={"purpose": "learn"})
    got["check"] = c.call("POST", "/check", json={
        "draft": "Hi, can you introduce me to your boss? Thanks", "person": top})

    c.call("DELETE", f"/people/{zed}", status=204)
    c.call("GET", f"/people/{zed}", status=404)
    for _ in range(2):
        c.call("POST", "/people", status=201, json={"name": "Kim Twin"})
    clash = c.call("POST", "/interactions", status=409, json={"people": ["Kim Twin"]})
    assert len(clash["candidates"]) == 2
    return got


def test_every_personal_answer_matches_its_model(demo: Conformance, db_url: str) -> None:
    from netfolio.network import Network

    got = _personal_calls(demo)
    ledger, folio, plan, ask = got["ledger"], got["portfolio"], got["plan"], got["ask"]
    # the data reached the branches a small ledger does not
    assert ledger["interactions"] and ledger["person"]["standing"] is not None
    assert folio["series"] and folio["dormant"] and folio["allocation"]
    assert plan["snoozed"] and plan["skipped"] and plan["done"] == 1
    assert any(item["suggestion"]["introduce"] for item in plan["items"]) or plan["items"]
    assert ask["warm_paths"] and all(w["reasons"] and w["request"] for w in ask["warm_paths"])
    assert got["ask_direct"]["direct"] and got["ask_direct"]["direct"][0]["matches"]
    assert {f["kind"] for f in got["check"]["findings"]} >= {"fix"}
    # the JSON is the library's (and the CLI's --json): the same serialiser writes both
    ledger = demo.call("GET", f"/people/{ledger['person']['id']}/ledger")
    net = Network(db_url)
    try:
        library = net.ledger(ledger["person"]["id"]).to_dict()
        why = net.why(ledger["person"]["id"]).to_dict()
    finally:
        net.close()
    library["person"].pop("fact_sources")
    assert {k: v for k, v in ledger["person"].items() if k != "standing"} == library["person"]
    assert ledger["interactions"] == library["interactions"] and ledger["knows"] == library[
        "knows"]
    assert set(got["why"]) == set(why) and set(got["why"]["standing"]) == set(why["standing"])
    personal = {op for op in demo.operations if not op[1].startswith(f"{API}/team/")}
    assert personal - demo.seen == set(), "operations no test call reached"


@pytest.fixture
def team_clients(team: Any) -> Iterator[dict[str, Conformance]]:
    from netfolio.web import create_app

    app = create_app(team.url)
    members: dict[str, Conformance] = {}
    for name in ("ana", "bob"):
        client = TestClient(app, base_url=BASE, follow_redirects=False)
        page = client.get("/login")
        done = client.post("/login", data={"username": name, "password": team.passwords[name],
                                           "next": "/", "csrf_token": form_token(page.text)})
        assert done.status_code == 303, done.text
        members[name] = Conformance(client)
    yield members
    for member in members.values():
        member.client.close()
    app.state.ctx.net.close()


@pytest.mark.postgres
def test_every_team_answer_matches_its_model(team_clients: dict[str, Conformance]) -> None:
    ana, bob = team_clients["ana"], team_clients["bob"]
    assert bob.call("GET", "/team/me")["username"] == "bob"
    answer = bob.call("GET", "/team/ask", params={"organisation": "Stripe"})
    assert answer["leads"] and answer["paths"][0]["introducers"]
    assert set(answer["leads"][0]) == {"teammate_id", "teammate", "best", "strong", "familiar",
                                       "weak"}
    entry = answer["paths"][0]["introducers"][0]["entry_id"]

    def request() -> int:
        made = bob.call("POST", "/team/requests", status=201,
                        json={"entry_id": entry, "message": "Keen on payments"})
        return int(made["id"])

    ana.call("POST", f"/team/requests/{request()}/decline")
    bob.call("POST", f"/team/requests/{request()}/withdraw")
    accepted = request()
    incoming = ana.call("GET", "/team/requests", params={"status": "pending"})
    assert [r["direction"] for r in incoming] == ["incoming"]
    ana.call("POST", f"/team/requests/{accepted}/accept")
    done = ana.call("POST", f"/team/requests/{accepted}/outcome", json={"outcome": "met"})
    assert done["target"] == "Jane Roe" and done["decided_at"]
    assert {r["status"] for r in bob.call("GET", "/team/requests")} == {
        "declined", "withdrawn", "accepted"}
    rules = ana.call("GET", "/team/sharing")
    assert rules["people"] and rules["people"][0]["share"] is True
    changed = ana.call("POST", "/team/sharing", json={"field": "software"})
    assert changed["rules"]["fields"] == ["software"] and changed["directory"]["shared"] >= 1
    team_ops = {op for op in ana.operations if op[1].startswith(f"{API}/team/")}
    assert team_ops - (ana.seen | bob.seen) == set(), "team operations no call reached"
