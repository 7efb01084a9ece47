"""In a real browser: Playwright driving Debian's Chromium against uvicorn on loopback.

Opens the dashboard, logs an interaction through a person page and sees the plan change,
marks a plan item done without a reload, checks a malicious name renders as text, and that
a form posted without its CSRF token is refused. Every page must load without console errors
(a Content-Security-Policy violation would be one).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web_helpers import CHROMIUM, MALICIOUS, browser_tab, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"),
]


@pytest.fixture
def server(db_url: str) -> Iterator[str]:
    """uvicorn on 127.0.0.1 on a free port, in a thread, over a small demo network."""
    from netfolio.demo import build
    from netfolio.network import Network

    build(db_url, people=80, years=3, seed=5)
    with Network(db_url) as net:
        net.add(MALICIOUS, organisation="<b>Evil</b> Corp")
    with live_server(db_url) as address:
        yield address


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    with browser_tab(server, timeout_ms=20_000) as tab:
        tab.dialogs = []  # type: ignore[attr-defined]
        tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        yield tab


def plan_people(page: Any) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("ol.plan li a.who").all()]


def test_dashboard_log_on_a_person_page_and_the_plan_follows(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text().endswith("network")
    assert page.locator("svg.line-chart").count() == 1
    suggested = page.locator("ol.plan li:not(.settled) a.who")
    first_href = suggested.first.get_attribute("href")
    before = plan_people(page)
    assert first_href in before

    suggested.first.click()
    page.wait_for_url(f"**{first_href}")
    page.fill("#note", "Walked her through the new lab")
    page.select_option("#intent", "give")
    page.select_option("#channel", "in_person")
    page.click("form.log-form button[type=submit]")
    page.wait_for_url(f"**{first_href}#timeline")
    assert "Logged: give" in page.locator(".flash").inner_text()
    assert page.locator("ol.timeline li").first.inner_text().count("give") >= 1
    assert "Walked her through the new lab" in page.locator("ol.timeline").inner_text()

    page.goto("/")
    after = plan_people(page)
    assert first_href not in after, "touched this week: no longer suggested"
    assert len(after) == len(before), "another person takes the slot"
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_plan_done_updates_in_place(page: Any) -> None:
    page.goto("/")
    url = page.url
    counter = page.locator("[data-plan-done]")
    done_before = int(counter.inner_text())
    item = page.locator("ol.plan li:not(.settled)").first
    name = item.locator("a.who").inner_text()
    item.get_by_role("button", name=f"Done: {name}").click()
    page.wait_for_selector("ol.plan li.settled")
    assert page.url == url, "no page load"
    assert int(counter.inner_text()) == done_before + 1
    assert f"with {name}" in page.locator("#live").inner_text()
    page.reload()
    settled = page.locator("ol.plan li.settled a.who").all_inner_texts()
    assert name in settled
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_malicious_name_renders_as_text(page: Any) -> None:
    page.goto("/people?q=script")
    link = page.get_by_role("link", name=MALICIOUS)
    assert link.count() == 1
    link.click()
    assert page.locator("h1").inner_text() == MALICIOUS
    assert "<b>Evil</b> Corp" in page.locator(".person-head .sub").inner_text()
    page.goto("/map?top=500")
    assert page.locator("svg.map a.node").count() >= 1
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_a_form_without_its_csrf_token_is_refused(page: Any) -> None:
    page.goto("/people?sort=strength")
    page.locator("table.people tbody a").first.click()
    timeline = page.locator("ol.timeline li").count()
    page.evaluate("document.querySelector('form.log-form input[name=csrf_token]').remove()")
    page.fill("#note", "forged")
    page.click("form.log-form button[type=submit]")
    page.wait_for_load_state()
    assert "Refused" in page.locator("h1").inner_text()
    assert "CSRF" in page.locator("main").inner_text()
    status = page.evaluate(
        "fetch('/api/v1/interactions', {method: 'POST', headers: {'Content-Type': "
        "'application/json'}, body: JSON.stringify({people: [1]})}).then(r => r.status)")
    assert status == 403
    page.go_back()
    page.reload()
    assert page.locator("ol.timeline li").count() == timeline


def test_pages_load_cleanly_on_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/", "/people", "/map", "/ask?need=machine+learning", "/import", "/settings"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{url} scrolls sideways ({width}px)"
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    assert page.console_errors == []  # type: ignore[attr-defined]
