"""What a newcomer meets in the web app in the first hour: lists as CSV and JSON files, forms that
keep what was typed when the ledger refuses it, birthdays from a date input (with or without
a year), the intents explained where you log, complete legends, a true "under target", an
empty chart that says so, and the API explorer served from the installed package."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import form_token

from netfolio.web import charts
from netfolio.web.forms import birthday_input, birthday_value


def post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    token = form_token(client.get("/settings").text)
    return client.post(url, data={"csrf_token": token, **data})


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_the_people_list_downloads_as_csv_and_json_with_its_filters(
        demo_client: TestClient, db_url: str) -> None:
    from netfolio.network import Network

    with Network(db_url) as net:
        everyone = net.count()
        slug = net.portfolio().allocation[0].field
        in_field = {p.id for p in net.people(field=slug)}

    rows = _csv(demo_client.get("/people.csv"))
    assert len(rows) == everyone  # every page, not the first 50
    names = [r["name"] for r in rows]
    assert names == sorted(names, key=str.casefold) or len(set(names)) == len(names)

    rows = _csv(demo_client.get(f"/people.csv?field={slug}&sort=strength"))
    assert {int(r["id"]) for r in rows} == in_field
    strengths = [float(r["strength"]) for r in rows]
    assert strengths == sorted(strengths, reverse=True)

    response = demo_client.get(f"/people.json?field={slug}&sort=strength")
    assert response.headers["content-type"].startswith("application/json")
    people = json.loads(response.text)
    assert [p["id"] for p in people] == [int(r["id"]) for r in rows]
    assert {"display_name", "emails", "fields", "standing"} <= people[0].keys()
    assert people[0]["standing"]["strength"] == pytest.approx(strengths[0], abs=0.06)

    page = demo_client.get(f"/people?field={slug}").text
    assert f'href="/people.csv?field={slug}"' in page
    assert f'href="/people.json?field={slug}"' in page
    assert demo_client.get("/people.xml").status_code in (404, 422)


def test_a_name_that_looks_like_a_formula_is_defused_in_the_csv(
        make_client: Any, net: Any) -> None:
    net.init(name="Sam Rivera", fields=["software"])
    net.add("=HYPERLINK(\"http://evil.example\",\"click\")", organisation="+Evil")
    net.add("Ana Núñez", organisation="Hospital Clínic")
    rows = _csv(make_client().get("/people.csv"))
    by_org = {r["organisation"]: r["name"] for r in rows}
    assert by_org["'+Evil"].startswith("'=HYPERLINK(")
    assert by_org["Hospital Clínic"] == "Ana Núñez"


def test_a_refused_new_person_keeps_the_form_and_writes_nothing(
        client: TestClient, net: Any) -> None:
    before = net.count()
    response = post(client, "/people", {
        "name": "Noor Haddad", "organisation": "Northwind", "emails": "noor at example",
        "birthday": "1990-07-14", "notes": "Met at PyCon"})
    assert response.status_code == 422
    html = response.text
    assert 'class="error-box"' in html and "noor at example" in html
    assert 'value="Noor Haddad"' in html and 'value="Northwind"' in html
    assert 'value="1990-07-14"' in html and "Met at PyCon" in html
    assert net.count() == before


def test_a_refused_edit_keeps_the_form(client: TestClient, net: Any) -> None:
    ana = net.get("Ana Núñez")
    response = post(client, f"/people/{ana.id}/edit", {
        "name": "Ana Núñez Vidal", "emails": "ana@example.org, not-an-email"})
    assert response.status_code == 422
    assert 'value="Ana Núñez Vidal"' in response.text
    assert "not-an-email" in response.text
    assert net.get(ana.id).display_name == "Ana Núñez"


def test_birthdays_with_and_without_a_year(client: TestClient, net: Any) -> None:
    response = post(client, "/people", {"name": "Lea Roy", "birthday": "1988-02-29"})
    assert response.status_code == 303
    lea = net.get("Lea Roy")
    assert lea.birthday == "1988-02-29"
    response = post(client, "/people", {"name": "Tom Roy", "birthday": "2000-02-29",
                                        "birthday_no_year": "1"})
    assert response.status_code == 303
    tom = net.get("Tom Roy")
    assert tom.birthday == "--02-29"
    form = client.get(f"/people/{tom.id}/edit").text
    assert 'type="date"' in form and 'value="2000-02-29"' in form
    assert 'name="birthday_no_year" value="1" checked' in form
    assert "29 February (year unknown)" in client.get(f"/people/{tom.id}").text
    assert "29 February 1988" in client.get(f"/people/{lea.id}").text


def test_birthday_form_values_round_trip() -> None:
    assert birthday_value("1985-03-15", False) == "1985-03-15"
    assert birthday_value("2000-03-15", True) == "--03-15"
    assert birthday_value("", True) == ""
    assert birthday_input("--03-15") == ("2000-03-15", True)
    assert birthday_input("1985-03-15") == ("1985-03-15", False)
    assert birthday_input(None) == ("", False)


def test_a_refused_log_keeps_the_note_beside_the_form(client: TestClient, net: Any) -> None:
    ana = net.get("Ana Núñez")
    before = len(net.ledger(ana.id).interactions)
    response = post(client, f"/people/{ana.id}/log", {
        "note": "Coffee about her lab", "intent": "give", "channel": "call",
        "when": "the day after never"})
    assert response.status_code == 422
    html = response.text
    assert "Not logged:" in html
    assert 'value="Coffee about her lab"' in html
    assert '<option value="give" selected>' in html
    assert '<option value="call" selected>' in html
    assert 'value="the day after never"' in html
    assert len(net.ledger(ana.id).interactions) == before


def test_an_unknown_person_in_knows_is_refused_beside_the_form(client: TestClient,
                                                               net: Any) -> None:
    ana = net.get("Ana Núñez")
    response = post(client, f"/people/{ana.id}/knows", {"other": "Nobody McNoone"})
    assert response.status_code == 422
    assert "Not added:" in response.text and 'value="Nobody McNoone"' in response.text


def test_the_log_form_explains_every_intent(client: TestClient, net: Any) -> None:
    html = client.get(f"/people/{net.get('Ana Núñez').id}").text
    assert 'aria-describedby="intents-h"' in html
    for words in ("contact with no agenda", "you asked them for help",
                  "they asked you for help", "they helped you"):
        assert words in html


def test_the_allocation_legend_names_every_colour() -> None:
    from types import SimpleNamespace

    lines = [SimpleNamespace(name=n, share_strength=s, target=t, gap=t - s, own=o)
             for n, s, t, o in (("Software and IT", 0.5, 0.2, True),
                                ("Finance", 0.05, 0.2, False), ("Health", 0.12, 0.12, False))]
    html = str(charts.allocation_chart(lines))
    assert '<li class="over">' in html and '<li class="under">' in html
    assert '<li class="even">' in html
    for swatch in ("fill", "under", "over", "target"):
        assert f'<span class="swatch {swatch}">' in html
    assert "your own field" in html


def test_on_target_is_not_under_target() -> None:
    rebalance = [{"field": "health", "target": 0.12, "actual": 0.1199},
                 {"field": "finance", "target": 0.12, "actual": 0.05}]
    assert [f["field"] for f in charts.under_target(rebalance)] == ["finance"]


def test_an_empty_value_chart_says_so_instead_of_drawing_a_0_1_axis(make_client: Any,
                                                                   net: Any) -> None:
    net.init(name="New User", fields=["software"])
    client = make_client()
    empty = client.get("/").text
    assert "Nothing here yet" in empty
    assert "Transactional index" not in empty and "Dormant ties" not in empty  # no zeros
    net.add("Ana Núñez")  # someone, but nothing logged yet
    html = client.get("/").text
    assert "No value yet" in html and "line-chart" not in html
    flat = str(charts.line_chart([("2026-01-01", 0.0), ("2026-02-01", 0.4)], label="v"))
    assert ">0<" not in flat  # whole numbers on the axis: 1, not 0, 0, 1, 1


def test_the_api_explorer_is_served_from_the_installed_package(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/swagger-ui/swagger-ui-bundle.js"' in page.text
    assert "<script>" not in page.text  # no inline script: the CSP would block it
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text[:20000] + \
        bundle.text[-20000:]
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200


def test_every_page_has_the_search_box(client: TestClient, net: Any) -> None:
    for path in ("/", "/people", "/map", "/settings", f"/people/{net.get('Ana Núñez').id}"):
        html = client.get(path).text
        assert '<form class="site-search" method="get" action="/people" role="search"' in html
    assert 'id="site-q" name="q" type="search"' in client.get("/").text
    assert 'value="Ana"' in client.get("/people?q=Ana").text


def test_a_refused_upload_comes_back_to_the_import_form(client: TestClient, net: Any) -> None:
    token = form_token(client.get("/import").text)
    before = net.count()
    response = client.post("/import", data={"csrf_token": token, "format": "vcard"},
                           files={"file": ("contacts.vcf", b"", "text/vcard")})
    assert response.status_code == 422
    html = response.text
    assert "Not imported:" in html and "contacts.vcf" in html and "empty" in html
    assert '<option value="vcard" selected>' in html
    assert 'action="/import" enctype="multipart/form-data"' in html
    assert net.count() == before
