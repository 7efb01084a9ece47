"""Helpers the web tests share (a module, not fixtures): tokens, the malicious name."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

BASE = "http://127.0.0.1"
MALICIOUS = "<script>alert(1)</script>"


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's session (the API hands it out)."""
    response = client.get("/api/v1/csrf")
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def form_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)
