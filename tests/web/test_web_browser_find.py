"""In a real browser: the People page's ranked search and the Ask page's paging and filters.

Playwright drives Debian's Chromium against uvicorn on loopback over a small demo network;
what the pages show is checked against the library (``Network.ranked``, ``Network.ask``),
which the CLI's ``netfolio search`` and ``netfolio ask`` print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_helpers import CHROMIUM, browser_tab, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo network of 400 people (SQLite: these tests read, so one ledger serves all)."""
    from netfolio.demo import build

    url = f"sqlite:///{tmp_path_factory.mktemp('find') / 'find.db'}"
    build(url, people=400, years=3, seed=7)
    return url


@pytest.fixture(scope="module")
def server(ledger: str) -> Iterator[str]:
    with live_server(ledger) as address:
        yield address


@pytest.fixture
def net(ledger: str) -> Iterator[Any]:
    from netfolio.network import Network

    with Network(ledger) as opened:
        yield opened


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    with browser_tab(server, timeout_ms=30_000) as tab:
        yield tab


def _ids(page: Any, selector: str) -> list[int]:
    hrefs = page.locator(selector).evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [int(m.group(1)) for h in hrefs if (m := re.fullmatch(r"/people/(\d+)", h or ""))]


def test_people_search_is_ranked_as_netfolio_search_page_after_page(page: Any, net: Any) -> None:
    expected = [p.id for p, _ in net.ranked("an", sort="relevance", limit=None)]
    matched = set(expected)  # by name: the ledger's name order (folded names)
    by_name = [p.id for p in net.people(limit=None) if p.id in matched]
    assert len(expected) > 60 and expected[:50] != by_name[:50], "a search worth ranking"

    page.goto("/people")
    page.fill("#q", "an")
    page.locator("form[role=search] button[type=submit]").first.click()
    page.wait_for_url("**/people?q=an*")
    assert _ids(page, "table.people tbody tr td:first-child a") == expected[:50]
    assert page.locator("#sort").evaluate("s => s.options[s.selectedIndex].text") == "best match"

    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2*")
    assert _ids(page, "table.people tbody tr td:first-child a") == expected[50:100]

    page.get_by_text("Filters and sorting").click()
    page.select_option("#sort", "name")  # sorts on change
    page.wait_for_url("**sort=name*")
    assert _ids(page, "table.people tbody tr td:first-child a") == by_name[:50]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_ask_pages_on_and_filters(page: Any, net: Any) -> None:
    need = "engineer"
    page.goto("/ask")
    page.fill("#need", need)
    page.get_by_role("button", name="Find who can help").click()
    page.wait_for_url("**/ask?need=engineer*")
    first = net.ask(need, limit=10)
    shown = _ids(page, "ol.people-list > li > a")
    assert shown == [c.person.id for c in first.direct]
    assert len(shown) == 10

    page.get_by_role("link", name="More results").click()
    page.wait_for_url("**offset=10*")
    more = net.ask(need, offset=10, limit=10)
    assert _ids(page, "ol.people-list > li > a") == [c.person.id for c in more.direct]
    assert not set(shown) & {c.person.id for c in more.direct}, "the next ten, not the same"
    page.get_by_role("link", name="Previous").click()
    page.wait_for_url("**offset=0*")
    assert _ids(page, "ol.people-list > li > a") == shown

    # filters: field, organisation (company), city, tier, each as the library answers
    person = net.get(shown[0])
    checks: list[tuple[str, str, dict[str, Any]]] = [
        ("#field", "select", {"field": "software"}),
        ("#tier", "select", {"tier": 150}),
    ]
    if person.organisation:
        checks.append(("#company", "fill", {"company": person.organisation}))
    if person.location:
        checks.append(("#city", "fill", {"city": person.location.split(",")[0]}))
    for selector, how, wanted in checks:
        page.goto(f"/ask?need={need}")
        value = str(next(iter(wanted.values())))
        if how == "select":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
        page.get_by_role("button", name="Find who can help").click()
        page.wait_for_load_state()
        report = net.ask(need, limit=10, **wanted)
        assert _ids(page, "ol.people-list > li > a") == [c.person.id for c in report.direct], \
            wanted
        assert report.direct or report.warm_paths, f"{wanted}: a filter that finds someone"

    # warm paths are said in words: who knows whom, and why the path is there
    page.goto(f"/ask?need={need}")
    if first.warm_paths:
        path = page.locator("ol.paths li").first.inner_text()
        assert "You" in path and "→" in path
        assert "knows; knows" not in path
    assert page.console_errors == []  # type: ignore[attr-defined]
