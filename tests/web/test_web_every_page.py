"""Every page in a real browser, on a phone (390 px) and a desktop (1,280 px), light and dark:
nothing scrolls sideways and axe-core finds no accessibility violation.

One server over a demo network (with an imported LinkedIn connection whose source is a long
unbreakable path, and a person with long asks), one over a ledger with nobody in it yet, one
Chromium. axe-core comes from npm (``tests/web/package.json``, installed by ``npm ci`` in
``.ci/run``); locally the accessibility checks skip when it is not installed, in CI they fail.
It is added to each page as an init script, which the page's Content-Security-Policy does not
block, so the same crawl also sees any CSP violation (a console error).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web_helpers import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "import" / "linkedin"
WIDTHS = (390, 1280)
LONG_ASK = ("an introduction to whoever runs the cardiology residency programme at the "
            "Hospital Clínic, and " + "very-" * 30 + "long advice")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"),
]


def _need_axe() -> None:
    if AXE.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"axe-core is not installed at {AXE}: run `npm ci` in tests/web")
    pytest.skip("needs axe-core from npm: `cd tests/web && npm ci` (.ci/run does)")


@dataclass
class Site:
    demo: str
    empty: str
    pages: list[str]
    empty_pages: list[str]
    imported: int
    asker: int


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[Site]:
    """Two servers: a demo network and an empty ledger (SQLite files made for this module)."""
    from netfolio.demo import build
    from netfolio.network import Network

    where = tmp_path_factory.mktemp("every-page")
    urls = []
    for name in ("demo.db", "empty.db"):
        shutil.copy(_sqlite_template, where / name)
        urls.append(f"sqlite:///{where / name}")
    demo, empty = urls
    build(demo, people=150, years=3, seed=5)
    export = where / ("LinkedIn-data-export-" * 4 + "2026-12-01") / "Basic_LinkedInDataExport"
    export.mkdir(parents=True)
    # the source line names the file: one long word with no place to break
    export_file = export / ("LinkedInDataExport_2026-12-01_" * 5 + "Connections.csv")
    shutil.copy(FIXTURES / "connections_preamble_bom.csv", export_file)
    with Network(demo) as net:
        net.import_file(export_file)
        imported = next(p.id for p in net.people() if p.source.startswith("linkedin"))
        asker = net.people(limit=1)[0].id
        for _ in range(3):
            net.ask_record(asker, LONG_ASK)
    with Network(empty) as net:
        net.init(name="New User", fields=["software"])
    pages = ["/", "/people", "/people?sort=strength", "/people?q=a", f"/people/{imported}",
             f"/people/{asker}", f"/people/{asker}/edit", "/people/new", "/map",
             "/map?top=50", "/ask", "/ask?need=software", "/settings", "/import",
             "/no-such-page", "/api/docs"]
    with live_server(demo) as demo_address, live_server(empty) as empty_address:
        yield Site(demo_address, empty_address, pages, ["/", "/people", "/map", "/ask"],
                   imported, asker)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _tab(chromium: Any, width: int, scheme: str = "light", axe: bool = False) -> Any:
    context = chromium.new_context(viewport={"width": width, "height": 900},
                                   color_scheme=scheme)
    if axe:
        context.add_init_script(path=str(AXE))
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.errors = []
    tab.on("console", lambda m: m.type == "error" and "404" not in m.text
           and tab.errors.append(m.text))
    return tab


def _open(tab: Any, url: str) -> None:
    tab.goto(url)
    if url.endswith("/api/docs"):  # the explorer draws itself from the schema
        tab.wait_for_selector("#swagger-ui .opblock")


def _every(site: Site) -> list[str]:
    return [site.demo + p for p in site.pages] + [site.empty + p for p in site.empty_pages]


WIDER = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .filter(e => !e.closest('.table-wrap, .map-wrap'))
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined
         ? '.' + String(e.className).split(' ').join('.') : '') + ' '
         + Math.round(e.getBoundingClientRect().right) + 'px: '
         + (e.textContent || '').trim().slice(0, 60));
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(site: Site, chromium: Any, width: int) -> None:
    tab = _tab(chromium, width)
    problems = []
    for url in _every(site):
        _open(tab, url)
        scroll, view = tab.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > view:
            problems.append(f"{url}: {scroll} px wide in {view} px; {tab.evaluate(WIDER)}")
    assert not problems, "\n".join(problems)
    assert not tab.errors, tab.errors  # a Content-Security-Policy violation would be one
    tab.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations(site: Site, chromium: Any, width: int, scheme: str) -> None:
    _need_axe()
    tab = _tab(chromium, width, scheme, axe=True)
    found = []
    for url in _every(site):
        _open(tab, url)
        for v in tab.evaluate("axe.run(document, {resultTypes: ['violations']})"
                              ".then(r => r.violations)"):
            where = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            found.append(f"{url} [{v['impact']}] {v['id']} ×{len(v['nodes'])}: {where}")
    assert not found, "\n".join(found)
    tab.context.close()


def test_the_imported_source_line_wraps_on_a_phone(site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 390)
    _open(tab, f"{site.demo}/people/{site.imported}")
    source = tab.locator("dl.facts dt", has_text="Source").locator("xpath=following-sibling::dd")
    assert "Connections.csv" in source.inner_text()
    box = source.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert box["height"] > 30  # more than one line: it wrapped
    tab.context.close()


def test_a_long_asks_table_scrolls_inside_its_card(site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 390)
    _open(tab, f"{site.demo}/people/{site.asker}")
    card = tab.locator("#asks").bounding_box()
    wrap = tab.locator("#asks .table-wrap")
    assert wrap.locator("td", has_text="very-very").count() == 3
    box = wrap.bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"] + 0.5
    tab.context.close()


def test_the_plan_comes_first_on_a_phone_and_after_the_figures_on_a_desktop(
        site: Site, chromium: Any) -> None:
    for width, plan_first in ((390, True), (1280, False)):
        tab = _tab(chromium, width)
        _open(tab, site.demo + "/")
        plan = tab.locator("#plan").bounding_box()["y"]
        tiles = tab.locator(".tiles").bounding_box()["y"]
        assert (plan < tiles) is plan_first, (width, plan, tiles)
        tab.context.close()


def test_focus_is_visible_in_the_top_bar_and_the_map_tools_come_first(
        site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 1280)
    _open(tab, site.demo + "/people")
    tab.keyboard.press("Tab")  # the skip link
    tab.keyboard.press("Tab")  # the brand
    tab.keyboard.press("Tab")  # the first link of the main navigation
    focused = tab.evaluate("""() => {
      const a = document.activeElement, style = getComputedStyle(a);
      let clipped = false;
      for (let e = a.parentElement; e && e !== document.body; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') clipped = true;
      }
      return [a.textContent.trim(), style.outlineStyle, parseFloat(style.outlineWidth), clipped];
    }""")
    assert focused[0] == "Dashboard"
    assert focused[1] != "none" and focused[2] >= 2
    assert not focused[3], "an ancestor of the top bar's links clips their focus outline"

    _open(tab, site.demo + "/map")
    tab.focus("form.filters button[type=submit]")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.getAttribute('data-zoom')") == "in"
    tab.context.close()


def test_map_labels_are_readable_on_a_phone(site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 390)
    _open(tab, site.demo + "/map")
    sizes = tab.evaluate("""[...document.querySelectorAll('#map .node text')]
        .filter(t => getComputedStyle(t).display !== 'none')
        .map(t => t.getBoundingClientRect().height)""")
    assert 3 <= len(sizes) <= 10
    assert min(sizes) >= 9, sizes  # pixels on the screen
    tab.click("[data-zoom=in]")
    tab.click("[data-zoom=in]")
    shown = tab.evaluate("""[...document.querySelectorAll('#map .node text')]
        .filter(t => getComputedStyle(t).display !== 'none').length""")
    assert shown > len(sizes)  # zoomed in, every label shows
    tab.context.close()


def test_the_global_search_box_finds_people(site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 390)
    _open(tab, site.demo + "/map")
    name = tab.locator("#map .node text.top").first.text_content()
    tab.fill("#site-q", name)
    tab.press("#site-q", "Enter")
    tab.wait_for_url("**/people?q=*")
    assert tab.locator("table.people .name-cell a").first.inner_text() == name
    assert tab.input_value("#site-q") == name
    tab.context.close()


def test_the_api_explorer_runs_a_call_under_the_pages_csp(site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 1280)
    response = tab.goto(site.demo + "/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    tab.wait_for_selector("#swagger-ui .opblock")
    me = tab.locator(".opblock-get", has=tab.locator("[data-path='/api/v1/me']")).first
    me.locator(".opblock-summary").click()
    me.locator("button.try-out__btn").click()
    me.locator("button.execute").click()
    code = me.locator(".live-responses-table tbody .response-col_status").first
    assert code.inner_text().strip() == "200"
    body = me.locator(".live-responses-table tbody .response-col_description").inner_text()
    assert '"name"' in body
    assert not tab.errors, tab.errors
    tab.context.close()


def test_a_refused_person_form_keeps_what_was_typed(site: Site, chromium: Any) -> None:
    tab = _tab(chromium, 390, axe=AXE.exists())
    _open(tab, site.demo + "/people/new")
    tab.fill("#name", "Noor Haddad")
    tab.fill("#emails", "noor at example")
    tab.fill("#birthday", "1990-07-14")
    tab.check("input[name=birthday_no_year]")
    tab.click("form.card button[type=submit]")
    tab.wait_for_selector(".error-box")
    assert "noor at example" in tab.locator(".error-box").inner_text()
    assert tab.input_value("#name") == "Noor Haddad"
    assert tab.input_value("#emails") == "noor at example"
    assert tab.input_value("#birthday") == "2000-07-14"  # month and day, year unknown
    assert tab.is_checked("input[name=birthday_no_year]")
    if AXE.exists():  # the page with the error passes axe too
        assert tab.evaluate("axe.run().then(r => r.violations.map(v => v.id))") == []
    tab.fill("#emails", "noor@example.org")
    tab.click("form.card button[type=submit]")
    tab.wait_for_url("**/people/*")
    facts = tab.locator("section[aria-labelledby=facts-h] dl").inner_text()
    assert "Birthday\n14 July (year unknown)" in facts
    tab.context.close()


@pytest.mark.postgres
def test_team_pages_fit_and_pass_axe(team: Any, chromium: Any) -> None:
    """Team mode (PostgreSQL only): the login page, then Bob's team page and his other pages,
    at both widths, light and dark."""
    _need_axe()
    with live_server(team.url) as address:
        for width in WIDTHS:
            for scheme in ("light", "dark"):
                tab = _tab(chromium, width, scheme, axe=True)
                found = []
                tab.goto(address + "/team")
                tab.wait_for_url("**/login?next=*")
                found += _problems(tab, tab.url)
                tab.fill("#username", "bob")
                tab.fill("#password", team.passwords["bob"])
                tab.click("form button[type=submit]")
                tab.wait_for_url("**/team")
                for path in ("/team", "/team?organisation=Stripe", "/", "/people", "/settings"):
                    _open(tab, address + path)
                    found += _problems(tab, address + path)
                assert not found, f"{width} px, {scheme}:\n" + "\n".join(found)
                assert not tab.errors, tab.errors
                tab.context.close()


def _problems(tab: Any, url: str) -> list[str]:
    """What is wrong with the open page: wider than the window, or axe violations."""
    out = []
    scroll, view = tab.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > view:
        out.append(f"{url}: {scroll} px wide in {view} px; {tab.evaluate(WIDER)}")
    for v in tab.evaluate("axe.run(document, {resultTypes: ['violations']})"
                          ".then(r => r.violations)"):
        where = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        out.append(f"{url} [{v['impact']}] {v['id']} ×{len(v['nodes'])}: {where}")
    return out
