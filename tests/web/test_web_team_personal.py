"""A personal ledger has no team: no Team page, no team API, no logins by username; the
team API is still described in the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_helpers import csrf_of


def test_a_personal_ledger_has_no_team_page_or_team_api(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert 'href="/team"' not in home.text
    assert client.get("/team").status_code == 404
    for path in ("/api/v1/team/me", "/api/v1/team/requests", "/api/v1/team/sharing",
                 "/api/v1/team/ask?organisation=Stripe"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "team" in response.json()["detail"]
    token = csrf_of(client)
    refused = client.post("/people/1/share", data={"share": "share", "csrf_token": token})
    assert refused.status_code == 404
    person = client.get("/people/1")
    assert person.status_code == 200 and "Share with the team" not in person.text


def test_a_bearer_token_means_nothing_to_a_personal_ledger(client: TestClient) -> None:
    response = client.post("/api/v1/people", json={"name": "No Csrf"},
                           headers={"Authorization": "Bearer nf_whatever"})
    assert response.status_code == 403  # the cookie rules apply: CSRF is still needed


def test_the_team_api_is_described(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/team/me", "/api/v1/team/ask", "/api/v1/team/requests",
            "/api/v1/team/sharing"} <= set(paths)
