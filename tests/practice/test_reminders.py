"""Reminders: the iCalendar file parses back (RFC 5545), birthdays recur, UIDs are stable."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar
from practice_helpers import WEEK, random_ledger

from netfolio.core.plan_actions import ActionFact
from netfolio.measures import Params
from netfolio.network import Network
from netfolio.practice.plan import weekly_plan
from netfolio.practice.reminders import PRODID, birthday_uid, calendar_ics, plan_uid

PARAMS = dataclasses.replace(Params(), weekly_budget=5)
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def events(data: bytes) -> list:  # type: ignore[type-arg]
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0" and cal["PRODID"] == PRODID
    return list(cal.walk("VEVENT"))


def export(seed: int = 3, now: dt.datetime = NOW, actions: list[ActionFact] | None = None
           ) -> tuple[bytes, list]:  # type: ignore[type-arg]
    snapshot, facts = random_ledger(seed)
    if actions:
        facts.actions = actions
    plans = [weekly_plan(snapshot, WEEK + dt.timedelta(weeks=i), PARAMS, facts)
             for i in range(3)]
    names = {int(p): snapshot.name[i] for i, p in enumerate(snapshot.person_id.tolist())}
    return calendar_ics(plans, facts.birthdays, names, now=now), plans


def test_the_file_parses_back_with_every_required_property() -> None:
    data, plans = export()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded as RFC 5545 asks
    found = events(data)
    for e in found:
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert prop in e, (prop, e)
        assert e["DTSTAMP"].dt == NOW
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids))
    touches = [e for e in found if str(e["UID"]).startswith("plan-")]
    assert len(touches) == sum(len(p.items) for p in plans)
    first = plans[0].items[0]
    event = next(e for e in touches if str(e["UID"]) == plan_uid(plans[0].week, first.person.id))
    assert event["DTSTART"].dt == first.day
    assert event["DTEND"].dt == first.day + dt.timedelta(days=1)
    description = str(event["DESCRIPTION"])
    assert first.reasons[0].text in description and first.suggestion.opener in description


def test_birthdays_recur_every_year() -> None:
    _, plans = export()
    data = calendar_ics(plans, {1: (1980, 5, 17), 2: (None, 2, 29)}, {1: "Ana", 2: "Leap"},
                        now=NOW)
    found = {str(e["UID"]): e for e in events(data)}
    ana = found[birthday_uid(1)]
    assert ana["RRULE"]["FREQ"] == ["YEARLY"] and ana["DTSTART"].dt == dt.date(1980, 5, 17)
    leap = found[birthday_uid(2)]
    assert leap["RRULE"]["BYMONTHDAY"] == [-1] and leap["RRULE"]["BYMONTH"] == [2]
    cal = Calendar.from_ical(data)
    in_2027 = recurring_ical_events.of(cal).between(dt.date(2027, 1, 1), dt.date(2028, 1, 1))
    days = {str(e["UID"]): e["DTSTART"].dt for e in in_2027 if "birthday" in str(e["UID"])}
    assert days == {birthday_uid(1): dt.date(2027, 5, 17), birthday_uid(2): dt.date(2027, 2, 28)}


def test_uids_are_stable_so_a_new_export_updates() -> None:
    first, _ = export(now=NOW)
    second, _ = export(now=NOW + dt.timedelta(days=2))
    a = {str(e["UID"]): int(e["SEQUENCE"]) for e in events(first)}
    b = {str(e["UID"]): int(e["SEQUENCE"]) for e in events(second)}
    assert a.keys() == b.keys()
    assert all(b[uid] > a[uid] for uid in a)  # later exports carry a higher SEQUENCE


def test_a_skipped_touch_is_cancelled_on_the_next_export() -> None:
    data, plans = export()
    person = plans[0].items[0].person.id
    again, _ = export(actions=[ActionFact(person, WEEK, "skip", WEEK)])
    cancelled = [e for e in events(again) if e.get("STATUS") == "CANCELLED"]
    assert [str(e["UID"]) for e in cancelled] == [plan_uid(WEEK, person)]
    assert plan_uid(WEEK, person) in {str(e["UID"]) for e in events(data)}


def test_calendar_through_the_network(net: Network, tmp_path: Path) -> None:
    ana = net.add("Ana Núñez", birthday="1985-07-04", title="Cardiologist")
    net.log([ana.id], when="2025-06-01", channel="call")
    net.add("Never Met", birthday="--12-01")  # no contact yet: no birthday reminder
    path = tmp_path / "plan.ics"
    info = net.calendar(path, weeks=2)
    assert info.weeks == 2 and info.birthdays == 1 and path.exists()
    found = events(path.read_bytes())
    assert birthday_uid(ana.id) in {str(e["UID"]) for e in found}
    assert info.touches == sum(1 for e in found if str(e["UID"]).startswith("plan-"))
