"""People listed with their details: a constant number of queries, however many people."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from netfolio.network import Network


@contextmanager
def statements(net: Network) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    engine = net.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _listing_queries(net: Network, first: int, n: int) -> int:
    for i in range(first, first + n):
        net.add(f"Person {i:03d}", emails=[f"p{i}@example.org"], phones=[f"+346120{i:05d}"],
                tags=["climbing"], title="Cardiologist")
    with statements(net) as seen:
        listed = net.people("Person")
        ranked = net.ranked(sort="name", limit=None)
        table = net.people()
    assert len(listed) == len(ranked) == len(table) == first + n
    assert all(p.phones and p.emails and p.tags for p in listed)
    return len(seen)


def test_listing_people_loads_details_in_bulk(net: Network) -> None:
    few = _listing_queries(net, 0, 3)
    more = _listing_queries(net, 3, 30)  # 33 people now
    assert more == few  # no query per person (a lazy load of phones or links each)
