"""The pages through FastAPI's TestClient, checked against the ledger through the Network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from web_helpers import form_token

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def post(client: TestClient, url: str, data: dict[str, Any] | None = None,
         **kwargs: Any) -> Any:
    """A form post with the page's CSRF token, as a browser sends it."""
    token = form_token(client.get("/settings").text)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


def test_empty_ledger_dashboard_says_how_to_start(make_client: Any) -> None:
    response = make_client().get("/")
    assert response.status_code == 200
    assert "Nothing here yet" in response.text
    assert "Add a person" in response.text


def test_the_plan_and_portfolio_urls_people_guess_lead_to_the_dashboard(
        make_client: Any) -> None:
    client = make_client()
    for path, part in (("/plan", "/#plan"), ("/portfolio", "/#summary-h")):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (307, part)
    assert client.get("/plan", follow_redirects=True).status_code == 200


def test_dashboard_shows_value_allocation_reach_goodwill_and_plan(demo_client: TestClient,
                                                                    db_url: str) -> None:
    from netfolio.network import Network

    html = demo_client.get("/").text
    with Network(db_url) as net:
        report = net.portfolio()
        plan = net.plan()
    assert "Network value over time" in html and 'class="chart line-chart"' in html
    assert f"{report.value:,.0f}" in html
    assert 'class="allocation"' in html
    assert f"{report.relationships:,}" in html
    assert "Goodwill and asks" in html
    # plain words first, the indices behind a details view with their meaning
    assert html.index("In plain words") < html.index("Network value over time")
    assert f"You know {report.people:,} people" in html
    assert "<details><summary>The numbers behind these sentences</summary>" in html
    assert "Burt&#39;s constraint" in html or "concentration on the 0-10,000 scale" in html
    assert plan.items, "the demo has a plan"
    for item in plan.items:
        assert f'action="/plan/{item.person.id}/done"' in html


def test_people_page_search_filters_sort_and_pages(demo_client: TestClient,
                                                    db_url: str) -> None:
    from netfolio.network import Network

    with Network(db_url) as net:
        strongest = net.ranked(sort="strength", limit=5)
        someone = net.people(limit=1)[0]
        total = net.count()
    html = demo_client.get("/people?sort=strength").text
    positions = [html.index(f'href="/people/{info.id}"') for info, _ in strongest]
    assert positions == sorted(positions), "strongest first"
    assert f"{total:,} people" in html
    page2 = demo_client.get("/people?page=2").text
    assert "Page 2 of" in page2
    found = demo_client.get("/people", params={"q": someone.display_name}).text
    assert f'href="/people/{someone.id}"' in found
    field = someone.fields[0] if someone.fields else None
    if field:
        in_field = demo_client.get("/people", params={"field": field}).text
        assert f'href="/people/{someone.id}"' in in_field
    assert demo_client.get("/people?q=zzzzqqqq").text.count('href="/people/') == 1  # "new" only


def test_people_overdue_dormant_and_tier_filters_agree_with_the_standings(
        demo_client: TestClient, db_url: str) -> None:
    from netfolio.network import Network

    with Network(db_url) as net:
        standings = net.standings()
        dormant = {d.id for d in net.dormant(limit=None)}
    overdue = {s.id for s in standings if s.overdue}
    api = demo_client.get("/api/v1/people", params={"overdue": True, "per_page": 500}).json()
    assert {p["id"] for p in api["people"]} == overdue
    api = demo_client.get("/api/v1/people", params={"dormant": True, "per_page": 500}).json()
    assert {p["id"] for p in api["people"]} == dormant
    fifty = {s.id for s in standings if s.tier == 50}
    api = demo_client.get("/api/v1/people", params={"tier": "50", "per_page": 500}).json()
    assert {p["id"] for p in api["people"]} == fifty
    assert demo_client.get("/people?overdue=1&dormant=1&tier=150").status_code == 200


def test_person_page_shows_timeline_why_goodwill_and_knows(client: TestClient,
                                                           net: Any) -> None:
    ana = net.get("Ana")
    html = client.get(f"/people/{ana.id}").text
    assert "Her new lab" in html and "Sent a paper" in html
    why = net.why(ana.id)
    assert f"{why.standing.strength:,.0f}" in html
    for part in why.parts:
        assert part.part in html
    assert "Goodwill ledger" in html
    assert "Ben Okafor" in html  # who she knows
    assert "Hospital Clínic" in html


def test_log_through_the_person_page(client: TestClient, net: Any) -> None:
    ana = net.get("Ana")
    before = len(net.ledger(ana.id).interactions)
    response = post(client, f"/people/{ana.id}/log", {
        "note": "Coffee near her lab", "intent": "share", "channel": "in_person",
        "when": "yesterday", "by": "them",
    })
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/people/{ana.id}")
    ledger = net.ledger(ana.id)
    assert len(ledger.interactions) == before + 1
    newest = ledger.interactions[0]
    assert (newest.intent, newest.channel, newest.initiator, newest.note) == (
        "share", "in_person", "them", "Coffee near her lab")
    page = client.get(response.headers["location"]).text
    assert "Logged: share" in page  # the flash line
    assert "Coffee near her lab" in page
    # and it can be removed again from the page
    removed = post(client, f"/interactions/{newest.id}/delete", {"back": str(ana.id)})
    assert removed.status_code == 303
    assert len(net.ledger(ana.id).interactions) == before


def test_a_bad_log_shows_the_reason_and_writes_nothing(client: TestClient, net: Any) -> None:
    ana = net.get("Ana")
    before = len(net.ledger(ana.id).interactions)
    response = post(client, f"/people/{ana.id}/log", {"intent": "bribe", "when": "today"})
    assert response.status_code == 422
    assert "not a intent" in response.text or "choose one of" in response.text
    assert len(net.ledger(ana.id).interactions) == before


def test_add_edit_and_delete_a_person(client: TestClient, net: Any) -> None:
    assert client.get("/people/new").status_code == 200
    created = post(client, "/people", {
        "name": "Chen Wei", "organisation": "Tsinghua", "title": "Professor of Physics",
        "emails": "chen@example.edu, wei@example.edu", "tags": "physics, mentor",
        "tier": "150",
    })
    assert created.status_code == 303
    chen = net.get("Chen Wei")
    assert created.headers["location"] == f"/people/{chen.id}"
    assert chen.emails == ["chen@example.edu", "wei@example.edu"]
    assert chen.tier_override == 150 and set(chen.tags) == {"physics", "mentor"}
    assert client.get(f"/people/{chen.id}/edit").status_code == 200
    edited = post(client, f"/people/{chen.id}/edit", {
        "name": "Chen Wei", "organisation": "Tsinghua University", "title": "Professor",
        "emails": "chen@example.edu", "tags": "physics", "fields": ["academia"], "tier": "",
    })
    assert edited.status_code == 303
    chen = net.get(chen.id)
    assert chen.organisation == "Tsinghua University" and chen.title == "Professor"
    assert chen.emails == ["chen@example.edu"] and chen.tags == ["physics"]
    assert chen.fields == ["academia"] and chen.tier_override is None
    deleted = post(client, f"/people/{chen.id}/delete")
    assert deleted.status_code == 303
    assert client.get(f"/people/{chen.id}").status_code == 404


def test_knows_compose_and_check_on_the_person_page(client: TestClient, net: Any) -> None:
    ben = net.get("Ben")
    assert post(client, f"/people/{ben.id}/knows", {"other": "Ana"}).status_code == 303
    opener = post(client, f"/people/{ben.id}/compose", {"purpose": "learn"})
    assert opener.status_code == 200
    assert "a starting point" in opener.text and "/100" in opener.text
    checked = post(client, f"/people/{ben.id}/compose",
                   {"draft": "Can you get me a job at your bank?"})
    assert checked.status_code == 200
    assert "make it about them" in checked.text


def test_plan_buttons_log_without_a_reload(demo_client: TestClient, db_url: str) -> None:
    from netfolio.network import Network

    with Network(db_url) as net:
        plan = net.plan()
    first, second, third = plan.items[:3]
    token = form_token(demo_client.get("/").text)
    headers = {"Accept": "application/json", "X-CSRF-Token": token}
    done = demo_client.post(f"/plan/{first.person.id}/done", headers=headers, data={
        "intent": first.suggestion.intent, "note": "From the plan"})
    assert done.status_code == 200 and done.json()["state"] == "Done"
    assert demo_client.post(f"/plan/{second.person.id}/skip",
                            headers=headers).json()["state"] == "Skipped"
    snoozed = demo_client.post(f"/plan/{third.person.id}/snooze", headers=headers).json()
    assert snoozed["state"].startswith("Snoozed until")
    with Network(db_url) as net:
        after = net.plan()
    assert after.item_for(first.person.id).status == "done"
    assert after.done == 1
    assert second.person.id in {p.id for p in after.skipped}
    assert third.person.id in {p.id for p, _ in after.snoozed}
    # without script: a plain form post redirects back to the plan
    fourth = after.items[-1]
    plain = demo_client.post(f"/plan/{fourth.person.id}/skip", data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["location"] == "/#plan"
    html = demo_client.get("/").text
    assert 'data-item class="settled"' in html


def test_network_map_draws_people_and_knows_edges(demo_client: TestClient) -> None:
    html = demo_client.get("/map?top=50").text
    assert html.count('class="node"') == 50
    assert 'class="edge"' in html
    assert "/static/map.js" in html
    legend_field = html.split('href="/map?field=')[1].split("&")[0]
    filtered = demo_client.get(f"/map?field={legend_field}&top=500").text
    assert filtered.count('class="node"') >= 1
    assert demo_client.get("/map?organisation=nothing-like-this").status_code == 200
    assert demo_client.get("/map?top=0").status_code == 422


def test_ask_page_finds_people_and_records_an_ask(client: TestClient, net: Any) -> None:
    html = client.get("/ask", params={"need": "cardiology advice", "field": "medicine"}).text
    assert "People you know who can help" in html
    ana = net.get("Ana")
    assert f'href="/people/{ana.id}"' in html
    recorded = post(client, "/asks", {"person_id": str(ana.id), "what": "Cardiology advice"})
    assert recorded.status_code == 303
    asks = net.ledger(ana.id).asks
    assert [a.what for a in asks] == ["Cardiology advice"]
    resolved = post(client, f"/asks/{asks[0].id}/resolve",
                    {"status": "fulfilled", "back": str(ana.id)})
    assert resolved.status_code == 303
    assert net.ledger(ana.id).asks[0].status == "fulfilled"
    assert client.get("/ask").status_code == 200
    vague = client.get("/ask", params={"need": "help"})
    assert vague.status_code == 422 and "Say what you need" in vague.text


def test_import_dry_run_then_confirm_then_undo(client: TestClient, net: Any) -> None:
    data = (FIXTURES / "vcard" / "vcard30_google_export.vcf").read_bytes()
    token = form_token(client.get("/import").text)
    before = net.count()
    dry = client.post("/import", data={"csrf_token": token, "format": ""},
                      files={"file": ("../../contacts.vcf", data, "text/vcard")})
    assert dry.status_code == 200, dry.text
    assert "What importing contacts.vcf would do" in dry.text
    assert net.count() == before, "a dry run writes nothing"
    upload = form_token(dry.text.split('action="/import/confirm"')[1])
    pending = dry.text.split('name="token" value="')[1].split('"')[0]
    done = client.post("/import/confirm", data={"csrf_token": upload, "token": pending})
    assert done.status_code == 200 and "Imported contacts.vcf" in done.text
    assert net.count() > before
    again = client.post("/import/confirm", data={"csrf_token": upload, "token": pending})
    assert again.status_code == 422 and "expired" in again.text
    undone = client.post("/import/undo", data={"csrf_token": upload})
    assert undone.status_code == 303
    assert net.count() == before


def test_possible_duplicates_are_reviewed_and_merged(client: TestClient, net: Any) -> None:
    from netfolio.core.models import PossibleDuplicate

    ana = net.get("Ana")
    other = net.add("Ana Nunez", organisation="Hospital Clinic")
    with net.session() as s:  # as an import records one
        s.add(PossibleDuplicate(a_id=ana.id, b_id=other.id, score=91.0,
                                reason="same name and organisation"))
    page = client.get("/import").text
    assert "same name and organisation" in page
    duplicate = net.duplicates()[0]
    merged = post(client, f"/duplicates/{duplicate.id}", {"action": "merge", "keep": ana.id})
    assert merged.status_code == 303
    assert net.count() == 3


def test_settings_save_me_cadences_and_a_field(client: TestClient, net: Any) -> None:
    assert client.get("/settings").status_code == 200
    saved = post(client, "/settings/me", {
        "name": "Sam R.", "emails": "sam@example.org", "own_fields": ["software", "design"],
        "weekly_budget": "7", "region": "es",
    })
    assert saved.status_code == 303
    me = net.me()
    assert (me.name, me.emails, me.weekly_budget, me.region) == (
        "Sam R.", ["sam@example.org"], 7, "ES")
    assert set(me.own_fields) == {"software", "design"}
    cadence = post(client, "/settings/cadence", {"tier_5": "10", "tier_15": "", "tier_50": "90"})
    assert cadence.status_code == 303
    assert net.me().cadence_days == {"5": 10, "50": 90}
    assert net.params().cadence_days[0] == 10
    bad = post(client, "/settings/cadence", {"tier_5": "0"})
    assert bad.status_code == 422
    added = post(client, "/settings/fields", {"name": "Beekeeping"})
    assert added.status_code == 303
    assert any(f.name == "Beekeeping" and f.custom for f in net.fields())
    assert post(client, "/settings/me", {"weekly_budget": "500"}).status_code == 422


def test_settings_set_and_reset_the_targets(client: TestClient, net: Any) -> None:
    net.init(fields=["software"])
    for n in range(4):
        net.add(f"Dev {n}", fields=["software"])
    net.add("Banker", fields=["finance"])
    page = client.get("/settings").text
    assert 'name="target_software"' in page and 'action="/settings/targets"' in page
    saved = post(client, "/settings/targets", {"target_software": "25", "target_finance": "",
                                                "target_banking": "10"})
    assert saved.status_code == 303
    assert net.me().targets == {"software": 0.25, "banking": 0.1}
    page = client.get("/settings").text
    assert 'name="target_software" type="number" min="0" max="100" step="0.1" ' \
        'inputmode="decimal" value="25.0"' in page
    assert post(client, "/settings/targets", {"target_software": "90",
                                              "target_banking": "20"}).status_code == 422
    assert net.me().targets == {"software": 0.25, "banking": 0.1}  # nothing half-written
    reset = post(client, "/settings/targets", {"target_software": "25", "reset": "1"})
    assert reset.status_code == 303 and net.me().targets == {}


def test_unknown_person_and_page_are_friendly_404s(client: TestClient) -> None:
    missing = client.get("/people/999999")
    assert missing.status_code == 404 and "no person matches" in missing.text
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/people/0").status_code == 422
    assert client.get("/static/netfolio.css").status_code == 200


def test_the_add_form_says_when_the_name_is_someones(client: TestClient, net: Any) -> None:
    before = net.count()
    post(client, "/people", {"name": "Zofia Wrześniak", "organisation": "Acme"})
    again = post(client, "/people", {"name": "ZOFIA WRZESNIAK", "organisation": "Globex"})
    assert again.status_code == 422 and "already in the ledger" in again.text
    assert "A new person" in again.text and net.count() == before + 1
    form = client.get("/people/new").text
    assert 'name="new"' in form
    post(client, "/people", {"name": "Zofia Wrzesniak", "organisation": "Globex", "new": "1"})
    assert net.count() == before + 2
