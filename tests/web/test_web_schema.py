"""Schemathesis against the API's OpenAPI document, with every check it has: no 500, every
answer and status documented and matching its schema, schema-invalid requests refused,
schema-valid ones accepted (docs/security.md gives the figures)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import unsupported_method
from web_helpers import csrf_of

from netfolio.web.security import COOKIE

#: Examples per operation (bounded: 12 take about half a minute; set more to search harder).
EXAMPLES = int(os.environ.get("NETFOLIO_SCHEMA_EXAMPLES", "12"))
#: The session of the test's client: its cookie and CSRF token go with every request.
SESSION: dict[str, str] = {}
#: The client that sends each case (httpx, through the ASGI app).
CLIENT: list[TestClient] = []


@pytest.fixture
def api_schema(client: TestClient) -> Any:
    token = csrf_of(client)
    SESSION.clear()
    SESSION.update({"X-CSRF-Token": token, "Cookie": f"{COOKIE}={client.cookies[COOKIE]}",
                    "Host": "127.0.0.1"})
    CLIENT[:] = [TestClient(client.app, base_url="http://127.0.0.1", follow_redirects=False)]
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app,
                                          headers={"Host": "127.0.0.1"})


schema = schemathesis.pytest.from_fixture("api_schema")


def _value_the_ledger_cannot_use(failure: Failure, response: Any) -> bool:
    """A schema-valid value the ledger itself refuses, as documented (a date in words it
    cannot read, a field it does not have, a birthday that is no date): a 422 whose every
    problem is the app's own ``value_error``, never FastAPI's schema validation."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422:
        return False
    detail = response.json().get("detail")
    return isinstance(detail, list) and bool(detail) and all(
        isinstance(d, dict) and d.get("type") == "value_error" for d in detail)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request(case: Any) -> None:
    # Sent with httpx (the app's own TestClient) rather than schemathesis' requests-based
    # transport; every check runs on the answer but ``unsupported_method``, which sends
    # probes of its own through requests (405s are checked by allow_header_conformance).
    kwargs = case.as_transport_kwargs(headers=dict(SESSION))
    kwargs.pop("base_url", None)
    response = CLIENT[0].request(kwargs.pop("method"), kwargs.pop("url"), **kwargs)
    try:
        case.validate_response(response, excluded_checks=[unsupported_method],
                               headers=dict(SESSION))
    except FailureGroup as group:
        rest = [f for f in group.exceptions if not _value_the_ledger_cannot_use(f, response)]
        if rest:
            raise FailureGroup(rest) from None
    except RejectedPositiveData as failure:
        if not _value_the_ledger_cannot_use(failure, response):
            raise
