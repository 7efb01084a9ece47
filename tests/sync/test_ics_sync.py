"""ICS subscription URLs against a real Radicale (a calendar collection answers GET with the
whole calendar): recurrences expanded, declined and cancelled meetings skipped, ETags."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sync_servers import ME, PASSWORD, Radicale, event

from netfolio.errors import SyncError
from netfolio.network import Network

#: Each starts a real server (a few seconds): run once in CI, on SQLite.
pytestmark = pytest.mark.slow

ENV = "NETFOLIO_TEST_ICS_PASSWORD"
PAST = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def feed(net: Network, radicale: Radicale, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Radicale]:
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    cal = radicale.calendar("work")
    radicale.put_event(cal, "coffee", event("coffee", PAST, attendees=[("Ana Núñez",
                                                                        "ana@lab.example")]))
    radicale.put_event(cal, "weekly", event("weekly", PAST, attendees=[("Bo Chen",
                                                                        "bo@chen.example")],
                                            rrule="FREQ=WEEKLY;COUNT=4"))
    radicale.put_event(cal, "cancelled", event("cancelled", PAST, status="CANCELLED",
                                               attendees=[("Dana Kim", "dana@kim.example")]))
    radicale.put_event(cal, "declined", event("declined", PAST, declined_by_me=True,
                                              organiser="eve@adams.example",
                                              attendees=[("Eve", "eve@adams.example")]))
    url = radicale.base + cal
    net.sync_add("ics", "work-cal", url, username="sam", password_env=ENV)
    return url, radicale


def count(net: Network, sql: str) -> int:
    with net.session() as s:
        return int(s.execute(text(sql)).scalar_one())


def test_a_feed_is_read_as_the_ics_importer_reads_a_file(
    net: Network, feed: tuple[str, Radicale]
) -> None:
    (report,) = net.sync("work-cal")
    assert report.error is None
    assert report.interactions_added == 1 + 4  # the weekly series expanded
    assert report.new_people == 2  # Ana and Bo; not the cancelled or declined meetings'
    assert report.skipped == {"cancelled": 1, "declined by you": 1}
    (again,) = net.sync("work-cal")  # unchanged: one conditional GET, nothing parsed
    assert again.runs == [] and again.read == 0
    url, radicale = feed
    radicale.put_event(url.removeprefix(radicale.base), "lunch", event(
        "lunch", PAST + dt.timedelta(days=1), attendees=[("Chidi Okafor", "chidi@okafor.example")]
    ))
    (new,) = net.sync("work-cal")
    assert new.interactions_added == 1 and new.new_people == 1
    assert count(net, "SELECT count(*) FROM interaction") == 6


def test_a_wrong_password_for_a_feed_is_one_line(
    net: Network, feed: tuple[str, Radicale], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "wrong")
    with pytest.raises(SyncError) as caught:
        net.sync("work-cal")
    assert str(caught.value) == (
        "sync source 'work-cal': the server refused the login (HTTP 401: wrong password?)"
    )
