"""Schemathesis against the API's OpenAPI document: generated requests never get a 500, and
every documented answer matches its schema."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from web_helpers import csrf_of

from netfolio.web.security import COOKIE

#: Examples per operation (bounded: 12 take about half a minute; set more to search harder).
EXAMPLES = int(os.environ.get("NETFOLIO_SCHEMA_EXAMPLES", "12"))
#: The session of the test's client: its cookie and CSRF token go with every request.
SESSION: dict[str, str] = {}


@pytest.fixture
def api_schema(client: TestClient) -> Any:
    token = csrf_of(client)
    SESSION.clear()
    SESSION.update({"X-CSRF-Token": token, "Cookie": f"{COOKIE}={client.cookies[COOKIE]}",
                    "Host": "127.0.0.1"})
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app,
                                          headers={"Host": "127.0.0.1"})


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request(case: Any) -> None:
    case.call_and_validate(headers=dict(SESSION),
                           checks=[not_a_server_error, response_schema_conformance])
