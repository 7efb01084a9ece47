"""CalDAV calendars against a real Radicale: sync-token (RFC 6578), the ETag fallback,
recurrences expanded, declined and cancelled meetings skipped, deleted events removed (and
put back by undo), a malformed event skipped and counted, faults."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sync_servers import ME, PASSWORD, Radicale, event

from netfolio.errors import SyncError
from netfolio.io.sync import dav
from netfolio.network import Network

#: Each starts a real server (a few seconds): run once in CI, on SQLite.
pytestmark = pytest.mark.slow

ENV = "NETFOLIO_TEST_CALDAV_PASSWORD"
PAST = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def cal(net: Network, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
        ) -> tuple[Network, Radicale, str]:
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    path = radicale.calendar("work")
    radicale.put_event(path, "coffee", event("coffee", PAST, attendees=[
        ("Ana Núñez", "ana@lab.example")]))
    radicale.put_event(path, "weekly", event("weekly", PAST, attendees=[
        ("Bo Chen", "bo@chen.example")], rrule="FREQ=WEEKLY;COUNT=4"))
    radicale.put_event(path, "cancelled", event("cancelled", PAST, status="CANCELLED",
                                                attendees=[("Dana Kim", "dana@kim.example")]))
    radicale.put_event(path, "declined", event("declined", PAST, declined_by_me=True,
                                               organiser="eve@adams.example",
                                               attendees=[("Eve", "eve@adams.example")]))
    # the server's root: the calendars are found through the user's principal
    net.sync_add("caldav", "dav", radicale.base + "/", username="sam", password_env=ENV)
    return net, radicale, path


def keys(net: Network) -> list[str]:
    """The events of the interactions, by UID (``ical:UID:occurrence``), one per occurrence."""
    with net.session() as s:
        found = s.execute(text("SELECT source_key FROM interaction")).scalars()
        return sorted(k.split(":")[1] for k in found)


def test_first_sync_reads_the_calendar_as_the_ics_importer_does(cal: Any) -> None:
    net, _radicale, _path = cal
    (report,) = net.sync("dav")
    assert report.error is None
    assert report.collections == ["sam/work"]  # its display name
    assert report.read == 4
    assert report.interactions_added == 1 + 4  # the weekly series expanded
    assert report.new_people == 2
    assert report.skipped == {"cancelled": 1, "declined by you": 1}
    assert [h.format for h in net.import_history()] == ["caldav"]
    (again,) = net.sync("dav")  # nothing changed: one sync-collection REPORT
    assert again.runs == [] and again.read == 0


def test_sync_test_lists_the_calendars_found_and_imports_nothing(cal: Any) -> None:
    net, _radicale, _path = cal
    found = net.sync_test("dav")
    assert found["collections"] == [{"name": "sam/work", "url": found["collections"][0]["url"],
                                     "items": 4, "by": "sync-token"}]
    assert found["collections"][0]["url"].endswith("/sam/work/")
    assert keys(net) == [] and net.import_history() == []


def test_changes_are_read_by_sync_token_and_deletions_removed(cal: Any) -> None:
    net, radicale, path = cal
    net.sync("dav")
    with net.session() as s:
        (token,) = s.execute(text("SELECT position FROM sync_cursor")).scalars()
    assert token and token.startswith("http")  # Radicale's sync-token
    radicale.put_event(path, "lunch", event("lunch", PAST + dt.timedelta(days=1), attendees=[
        ("Chidi Okafor", "chidi@okafor.example")]))
    radicale.delete(path + "coffee.ics")
    # the weekly meeting now cancelled: its four occurrences go
    radicale.put_event(path, "weekly", event("weekly", PAST, attendees=[
        ("Bo Chen", "bo@chen.example")], rrule="FREQ=WEEKLY;COUNT=4", status="CANCELLED"))
    (report,) = net.sync("dav")
    assert report.read == 2  # lunch and weekly; not the unchanged two
    assert report.interactions_added == 1 and report.new_people == 1
    assert report.interactions_removed == 1 + 4
    assert keys(net) == ["lunch"]
    # undo puts the removed interactions back and takes lunch out; the next sync reads
    # those changes again
    undone = net.import_undo()
    assert undone.interactions_removed == 1
    assert len(keys(net)) == 5 and "coffee" in keys(net)
    (again,) = net.sync("dav")
    assert again.interactions_removed == 5 and keys(net) == ["lunch"]


def test_a_moved_event_moves_and_an_exdate_removes_an_occurrence(cal: Any) -> None:
    net, radicale, path = cal
    net.sync("dav")
    moved = PAST - dt.timedelta(days=3)
    radicale.put_event(path, "coffee", event("coffee", moved, attendees=[
        ("Ana Núñez", "ana@lab.example")]))
    stamp = (PAST + dt.timedelta(weeks=2)).strftime("%Y%m%dT%H%M%SZ")
    weekly = event("weekly", PAST, attendees=[("Bo Chen", "bo@chen.example")],
                   rrule="FREQ=WEEKLY;COUNT=4").replace(b"RRULE:", b"EXDATE:" + stamp.encode()
                                                        + b"\r\nRRULE:")
    radicale.put_event(path, "weekly", weekly)
    (report,) = net.sync("dav")
    assert report.interactions_removed == 2 and report.interactions_added == 1
    with net.session() as s:
        at = s.execute(text("SELECT at FROM interaction WHERE source_key LIKE 'ical:coffee:%'"))
        assert at.scalar_one() == int(moved.timestamp())
    assert keys(net).count("weekly") == 3


def test_without_sync_collection_the_etags_say_what_changed(
    cal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    net, radicale, path = cal

    def refuse(self: dav.DavClient, url: str, token: str | None) -> dav.Changes:
        raise dav.NoSyncCollection(501)

    monkeypatch.setattr(dav.DavClient, "sync_collection", refuse)
    (first,) = net.sync("dav")
    assert first.interactions_added == 5
    (same,) = net.sync("dav")
    assert same.runs == [] and same.read == 0  # the same ETags: nothing fetched
    radicale.delete(path + "coffee.ics")
    radicale.put_event(path, "lunch", event("lunch", PAST, attendees=[
        ("Chidi Okafor", "chidi@okafor.example")]))
    (changed,) = net.sync("dav")
    assert changed.read == 1 and changed.interactions_removed == 1
    assert "coffee" not in keys(net) and "lunch" in keys(net)


def test_a_future_event_becomes_an_interaction_once_it_happened(
    cal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    net, radicale, path = cal
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    radicale.put_event(path, "soon", event("soon", soon, attendees=[
        ("Fay Lee", "fay@lee.example")]))
    net.sync("dav")
    assert "soon" not in keys(net)
    from netfolio.io.sync import dav_sync

    real = dav_sync.sync_dav

    def later(**kw: Any) -> None:
        real(**{**kw, "now": soon + dt.timedelta(hours=2)})

    monkeypatch.setattr(dav_sync, "sync_dav", later)
    (report,) = net.sync("dav")
    assert report.read == 1 and "soon" in keys(net)  # unchanged, but due: read again


def test_a_malformed_event_is_skipped_and_counted(cal: Any) -> None:
    net, radicale, path = cal
    net.sync("dav")
    # Radicale stores a repeat rule that never advances; the importer cannot expand it
    radicale.put_event(path, "undated", event("undated", PAST, attendees=[
        ("Gus Ray", "gus@ray.example")], rrule="FREQ=WEEKLY;INTERVAL=0"))
    radicale.put_event(path, "lunch", event("lunch", PAST, attendees=[
        ("Chidi Okafor", "chidi@okafor.example")]))
    (report,) = net.sync("dav")
    assert report.error is None
    assert report.skipped == {"invalid repeat rule": 1}
    assert "lunch" in keys(net) and "undated" not in keys(net)


def test_an_object_that_is_no_calendar_is_skipped_and_the_rest_read() -> None:
    from netfolio.io.pipeline import ImportOptions
    from netfolio.io.sync.dav_sync import _read_events

    good = event("good", PAST, attendees=[("Ana Núñez", "ana@lab.example")])
    fetched = {"/sam/work/good.ics": ('"1"', good),
               "/sam/work/bad.ics": ('"2"', b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART")}
    parsed, members, uids = _read_events(fetched, "dav/work", ImportOptions(me_emails=[ME]),
                                         dt.datetime.now(dt.UTC))
    assert [s.reason for s in parsed.skipped] == ["unreadable calendar object"]
    assert [i.key.split(":")[1] for i in parsed.interactions] == ["good"]
    assert uids == ["good"] and list(members) == ["/sam/work/good.ics"]  # bad: read again


def test_faults_are_one_line(cal: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    net, radicale, _path = cal
    monkeypatch.setenv(ENV, "wrong")
    with pytest.raises(SyncError) as caught:
        net.sync("dav")
    assert str(caught.value) == (
        "sync source 'dav': the server refused the login (HTTP 401: wrong password?)")
    monkeypatch.setenv(ENV, PASSWORD)
    radicale.stop()
    with pytest.raises(SyncError) as down:
        net.sync("dav")
    assert str(down.value).startswith("sync source 'dav': cannot reach 127.0.0.1:")
    (source,) = net.sync_sources()
    assert source.last_status == "error"


def test_a_connection_cut_mid_sync_leaves_the_calendar_as_it_was_and_resumes(
    net: Network, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A calendar is one run: cut while its events are fetched, nothing of it is written;
    the next sync reads it whole."""
    from sync_servers import RADICALE_PORTS, Proxy

    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    path = radicale.calendar("work")
    for i in range(6):
        radicale.put_event(path, f"e{i}", event(f"e{i}", PAST + dt.timedelta(days=i),
                                                attendees=[("Ana Núñez", "ana@lab.example")]))
    proxy = Proxy(radicale.port, RADICALE_PORTS)
    net.sync_add("caldav", "dav", f"http://127.0.0.1:{proxy.port}{path}", username="sam",
                 password_env=ENV)
    monkeypatch.setattr(dav, "MULTIGET", 2)
    real = dav.DavClient.multiget

    def cut_after_the_first(self: dav.DavClient, *args: Any) -> Any:
        for n, got in enumerate(real(self, *args)):
            if n == 1:
                proxy.cut()
            yield got

    monkeypatch.setattr(dav.DavClient, "multiget", cut_after_the_first)
    with pytest.raises(SyncError) as caught:
        net.sync("dav")
    said = str(caught.value)
    assert said.startswith("sync source 'dav': ") and "\n" not in said
    assert "cannot reach 127.0.0.1" in said or "was lost" in said
    assert keys(net) == [] and net.import_history() == []
    monkeypatch.setattr(dav.DavClient, "multiget", real)
    back = Proxy(radicale.port, RADICALE_PORTS)
    with net.session() as s:
        s.execute(text("UPDATE sync_source SET url = :u"),
                  {"u": f"http://127.0.0.1:{back.port}{path}"})
    (report,) = net.sync("dav")
    assert report.read == 6 and report.interactions_added == 6
    back.cut()


def test_an_empty_calendar_makes_no_empty_import_run(
    net: Network, radicale: Radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, PASSWORD)
    net.init(emails=[ME])
    path = radicale.calendar("empty")
    net.sync_add("caldav", "dav", radicale.base + path, username="sam", password_env=ENV)
    (report,) = net.sync("dav")
    assert report.error is None and report.runs == [] and net.import_history() == []
    radicale.put_event(path, "one", event("one", PAST, attendees=[("Ana Núñez",
                                                                   "ana@lab.example")]))
    (later,) = net.sync("dav")
    assert later.read == 1 and len(later.runs) == 1 and keys(net) == ["one"]
