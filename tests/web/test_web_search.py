"""The People page's in-memory search finds exactly who ``netfolio search`` finds."""

from __future__ import annotations

from typing import Any

import pytest

from netfolio.web.search import SearchIndex

QUERIES = ["ana", "engineer", "senior engineer", "london", "bank", "e", "zzz", "ANA",
           "clinic", "@", "o'", "100%", "a_b", "ingeniería"]


@pytest.fixture
def demo_net(net: Any, db_url: str) -> Any:
    from netfolio.demo import build

    build(db_url, people=300, years=2, seed=2)
    return net


def test_search_index_agrees_with_the_ledger_query(demo_net: Any) -> None:
    net = demo_net
    tagged = net.people(limit=3)
    for person in tagged:
        net.tag(person.id, ["Climate", "mentor"])
    net.add("Zoë O'Brien", organisation="Ünïcode Ltd", notes="likes 100% cotton\nand a_b tests",
            emails=["zoe@example.org"], tags=["zz-top"])
    index = SearchIndex.load(net)

    def found(**kwargs: Any) -> set[int]:
        return set(index.ids[index.find(**kwargs)].tolist())

    def ledger(**kwargs: Any) -> set[int]:
        """The ledger's substring query the web index mirrors (``netfolio search`` itself
        now ranks through the full-text index, by words, with stemming)."""
        from netfolio.core.models import Person
        from netfolio.core.people import PeopleQuery, people_statement

        with net.session() as s:
            stmt = people_statement(PeopleQuery(**kwargs)).with_only_columns(Person.id)
            return set(s.execute(stmt).scalars())

    for q in [*QUERIES, "Climate", "mentor", "zz-top", "cotton", "zoe@example", "zoë"]:
        assert found(text=q) == ledger(text=q), q
    for organisation in ("bank", "labs", "x"):
        expected = ledger(organisation=organisation)
        assert found(organisation=organisation) == expected, organisation
    # Every letter's case is ignored, as PostgreSQL's lower() does (SQLite's folds only ASCII,
    # so there ``netfolio search --org Ünïcode`` finds no one)
    assert found(organisation="ünïcode") == found(organisation="Ünïcode") == {
        net.get("Zoë").id}
    for field in ("software", "medicine", "law"):
        assert found(field=field) == {p.id for p in net.people(field=field)}, field
    assert found(tag="mentor") == {p.id for p in net.people(tag="mentor")} >= {p.id for p in tagged}
    assert found(text="ana", field="software") == ledger(text="ana", field="software")
    assert len(found()) == net.count()


def test_name_order_is_the_ledgers(demo_net: Any) -> None:
    index = SearchIndex.load(demo_net)
    ordered = index.ids[index.name_rank.argsort()].tolist()
    assert ordered == [p.id for p in demo_net.people()]


def _page_ids(html: str) -> list[int]:
    import re

    if '<table class="people">' not in html:
        return []  # past the last page
    table = html.split('<table class="people">', 1)[1].split("</table>", 1)[0]
    return [int(i) for i in dict.fromkeys(re.findall(r'href="/people/(\d+)"', table))]


def test_the_people_page_ranks_a_search_as_netfolio_search_does(
        demo_net: Any, make_client: Any) -> None:
    """Best match first, page after page: the same order as ``netfolio search``."""
    net = demo_net
    net.add("Lee Ana Example", organisation="Ana Analytics", title="Engineer")
    client = make_client()
    for q, organisation in (("ana", None), ("engineer", None), ("lee", None),
                            ("senior engineer", None), (None, "bank")):
        expected = [p.id for p, _ in net.ranked(q, organisation=organisation,
                                                sort="relevance", limit=None)]
        query = {k: v for k, v in (("q", q), ("organisation", organisation)) if v}
        shown: list[int] = []
        for page in range(1, 4):
            r = client.get("/people", params={**query, "page": page})
            assert r.status_code == 200
            shown += _page_ids(r.text)
        assert shown == expected[:len(shown)], (q, organisation)
        assert len(shown) == min(len(expected), 150), (q, organisation)
    # sorting a search by name is still there, and says so in its links
    r = client.get("/people", params={"q": "ana", "sort": "name"})
    matched = {p.id for p, _ in net.ranked("ana", limit=None)}
    by_name = [p.id for p in net.people(limit=None) if p.id in matched][:50]  # folded names
    assert _page_ids(r.text) == by_name
    best = [p.id for p, _ in net.ranked("ana", sort="relevance", limit=50)]
    assert best != by_name and set(best) & set(by_name), "the ranking is not the name order"
    assert "sort=name" in r.text
    # without text, relevance means nothing: by name
    r = client.get("/people", params={"sort": "relevance"})
    assert _page_ids(r.text) == [p.id for p in net.people(limit=50)]


def test_a_ranked_search_with_measure_filters(demo_net: Any, make_client: Any) -> None:
    net = demo_net
    client = make_client()
    expected = [p.id for p, st in net.ranked("a", sort="relevance", limit=None)
                if st.tier == 150]
    r = client.get("/people", params={"q": "a", "tier": "150"})
    assert _page_ids(r.text) == expected[:50]
