"""Team mode in a real browser: Bob logs in, asks the team who knows someone at Stripe and
requests an introduction; Ana logs in and accepts it. Needs PostgreSQL and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web_helpers import ARGS, CHROMIUM, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"),
]


@pytest.fixture
def team_server(team: Any) -> Iterator[str]:
    """uvicorn on 127.0.0.1 on a free port, in a thread, over the two-member team."""
    with live_server(team.url) as address:
        yield address


@pytest.fixture
def browser(team_server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _tab(browser: Any, server: str) -> Any:
    """A tab with a context (cookies) of its own, recording console errors."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.console_errors = []
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    return tab


def _log_in(tab: Any, username: str, password: str) -> None:
    tab.goto("/team")
    tab.wait_for_url("**/login?next=*")
    tab.fill("#username", username)
    tab.fill("#password", password)
    tab.click("form button[type=submit]")
    tab.wait_for_url("**/team")


def test_bob_asks_the_team_and_ana_accepts(browser: Any, team_server: str, team: Any) -> None:
    bob = _tab(browser, team_server)
    _log_in(bob, "bob", team.passwords["bob"])
    assert "Log out (Bob Li)" in bob.locator("header nav").inner_text()
    bob.fill("#organisation", "Stripe")
    bob.click("form[role=search] button[type=submit]")
    bob.wait_for_url("**/team?organisation=Stripe*")
    path = bob.locator("ol.team-paths > li").first
    assert "Jane Roe" in path.inner_text() and "Ana Núñez" in path.inner_text()
    assert "Ana's private" not in bob.content()
    path.locator("summary", has_text="Request introduction").click()
    path.locator("textarea[name=message]").fill("Keen to learn about payments")
    path.get_by_role("button", name="Request introduction via Ana Núñez").click()
    bob.wait_for_url("**/team#outgoing")
    assert "Asked Ana Núñez to introduce you to Jane Roe." in bob.locator(".flash").inner_text()
    assert "pending" in bob.locator("ol.outgoing li").first.inner_text()

    ana = _tab(browser, team_server)
    _log_in(ana, "ana", team.passwords["ana"])
    incoming = ana.locator("ol.incoming li").first
    assert "Keen to learn about payments" in incoming.inner_text()
    incoming.get_by_role("button", name="Accept").click()
    ana.wait_for_url("**/team#requests")
    assert "logged as a give" in ana.locator(".flash").inner_text()
    assert "accepted" in ana.locator("ol.incoming li").first.inner_text()

    bob.goto("/team")
    assert "accepted" in bob.locator("ol.outgoing li").first.inner_text()
    gives = [i for i in team.ana.ledger("Jane Roe").interactions if i.intent == "give"]
    assert len(gives) == 1
    assert bob.console_errors == [] and ana.console_errors == []
