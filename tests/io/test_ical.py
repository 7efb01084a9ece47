"""iCalendar events as interactions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.errors import ImportError_
from netfolio.io.formats import ical
from netfolio.io.records import PersonRef

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "ical"
ME = ["Sam@Rivera.example"]


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_ical_recurring_series_with_exdate_moved_and_cancelled_occurrences() -> None:
    result = ical.parse(data("ical_recurring_with_exception.ics"), filename="c.ics", me_emails=ME)
    lisbon = ZoneInfo("Europe/Lisbon")
    got = [(i.at, i.channel, i.note, i.key) for i in result.interactions]
    uid = "ical:mentoring-7f3a@example.com"
    assert got == [
        (
            datetime(2024, 3, 1, 17, tzinfo=lisbon),
            Channel.VIDEO,
            "Mentoring: Ana / Sam",
            f"{uid}:2024-03-01T17:00:00+00:00",
        ),
        # 8 March is an EXDATE; 15 March moved to the 16th, in person
        (
            datetime(2024, 3, 16, 10, tzinfo=lisbon),
            Channel.IN_PERSON,
            "Mentoring (coffee instead)",
            f"{uid}:2024-03-15T17:00:00+00:00",
        ),
        # 22 March cancelled
        (
            datetime(2024, 3, 29, 17, tzinfo=lisbon),
            Channel.VIDEO,
            "Mentoring: Ana / Sam",
            f"{uid}:2024-03-29T17:00:00+00:00",
        ),
    ]
    assert {i.participants for i in result.interactions} == {
        (PersonRef(email="Ana.Silva@acme.example", name="Ana Silva"),)
    }
    assert all(i.initiator is Initiator.ME for i in result.interactions)
    assert all(i.intent is Intent.CATCH_UP and i.intent_inferred for i in result.interactions)
    assert result.skipped_by_reason() == {"cancelled": 1}
    assert result.interactions[0].content is None


def test_ical_until_bounds_the_expansion_and_future_events() -> None:
    result = ical.parse(
        data("ical_recurring_with_exception.ics"),
        filename="c.ics",
        me_emails=ME,
        until=datetime(2024, 3, 10, tzinfo=UTC),
    )
    assert [i.at.date() for i in result.interactions] == [date(2024, 3, 1)]
    later = ical.parse(
        data("ical_recurring_with_exception.ics"),
        filename="c.ics",
        me_emails=ME,
        until=datetime(2100, 1, 1, tzinfo=UTC),
        keep_content=True,
    )
    assert later.interactions[-1].note == "Far future"
    assert later.interactions[0].content == "Agenda: portfolio review"


def test_ical_time_zones_floating_and_all_day() -> None:
    result = ical.parse(data("ical_timezones.ics"), filename="t.ics", me_emails=ME)
    by_note = {i.note: i for i in result.interactions}
    ny = by_note["Catch-up"]
    assert ny.at == datetime(2024, 1, 10, 14, 30, tzinfo=UTC)
    assert ny.at.utcoffset() == timedelta(hours=-5)
    assert ny.channel is Channel.VIDEO  # X-GOOGLE-CONFERENCE
    assert by_note["Teams sync"].channel is Channel.VIDEO  # link in DESCRIPTION
    assert by_note["Teams sync"].initiator is Initiator.ME  # no ORGANIZER: the user's own event
    breakfast = by_note["Breakfast"]
    assert breakfast.at == datetime(2024, 2, 2, 8, tzinfo=UTC)  # floating → default_tz (UTC)
    hike = by_note["Hike"]
    assert (hike.date_only, hike.at) == (True, datetime(2024, 2, 10, tzinfo=UTC))
    lunch = by_note["Lunch with Lena"]  # Outlook's Windows zone name with its VTIMEZONE
    assert lunch.at.utcoffset() == timedelta(hours=2)
    assert lunch.initiator is Initiator.THEM
    assert lunch.participants == (PersonRef(email="lena@vogel.example", name="Lena Vogel"),)
    assert lunch.channel is Channel.IN_PERSON
    shifted = ical.parse(
        data("ical_timezones.ics"), filename="t.ics", me_emails=ME, default_tz="Asia/Tokyo"
    )
    assert {i.note: i for i in shifted.interactions}["Breakfast"].at.utcoffset() == timedelta(
        hours=9
    )


def test_ical_declined_large_solo_and_cancelled_events_are_skipped() -> None:
    result = ical.parse(data("ical_declined_and_large.ics"), filename="d.ics")
    (dinner,) = result.interactions  # me from X-WR-CALNAME
    assert dinner.participants == (PersonRef(email="grace.liu@example.com", name="Grace Liu"),)
    assert [(s.reason, s.source.item, s.detail) for s in result.skipped] == [
        ("declined attendee", 1, "kenji@example.jp"),
        ("large event", 2, "13 other attendees"),
        ("declined by you", 3, None),
        ("no other attendee", 4, None),
        ("cancelled", 5, None),
    ]
    wide = ical.parse(data("ical_declined_and_large.ics"), filename="d.ics", include_large=True)
    assert len(wide.interactions) == 2
    assert wide.interactions[1].initiator is Initiator.THEM
    assert len(wide.interactions[1].participants) == 13


def test_ical_infers_me_from_the_most_present_address() -> None:
    result = ical.parse(data("ical_recurring_with_exception.ics"), filename="c.ics")
    assert len(result.interactions) == 3
    assert result.warnings == [
        "c.ics: took sam@rivera.example (in the most events) to be you; pass me_emails to say "
        "otherwise"
    ]


def test_ical_sub_daily_series_are_not_expanded() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:19000101T000000Z\r\n"
        "RRULE:FREQ=MINUTELY\r\nATTENDEE:mailto:a@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = ical.parse(text.encode(), filename="m.ics", me_emails=ME)
    assert result.interactions == []
    assert result.skipped_by_reason() == {"too frequent": 1}


def test_ical_garbage_is_an_import_error() -> None:
    with pytest.raises(ImportError_, match="no BEGIN:VCALENDAR"):
        ical.parse(b"hello", filename="x.ics")
    truncated = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:notadate\r\n"
    try:
        result = ical.parse(truncated, filename="x.ics")
    except ImportError_:
        return
    assert result.interactions == []


def test_ical_runaway_series_are_not_expanded() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:y\r\nDTSTART:00010101T000000Z\r\n"
        "RRULE:FREQ=DAILY\r\nATTENDEE:mailto:a@example.com\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:z\r\nDTSTART:00010101T000000Z\r\n"
        "RRULE:FREQ=DAILY;COUNT=3\r\nATTENDEE:mailto:a@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = ical.parse(text.encode(), filename="r.ics", me_emails=ME, since=date(1, 1, 1))
    assert result.skipped_by_reason() == {"too many occurrences": 1}
    assert len(result.interactions) == 3
