from __future__ import annotations

import datetime as dt

import pytest

from netfolio.core.dates import parse_day, parse_when
from netfolio.errors import ValidationError

# Thursday 2026-11-26, 15:00 in Madrid
NOW = dt.datetime(2026, 11, 26, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.mark.parametrize(
    ("text", "day", "date_only"),
    [
        ("yesterday", dt.date(2026, 11, 25), True),
        ("last friday", dt.date(2026, 11, 20), True),
        ("2026-11-03", dt.date(2026, 11, 3), True),
        ("3 days ago", dt.date(2026, 11, 23), False),
        ("2026-11-03 14:30", dt.date(2026, 11, 3), False),
        ("today", dt.date(2026, 11, 26), True),
    ],
)
def test_natural_dates(text: str, day: dt.date, date_only: bool) -> None:
    moment, only_date = parse_when(text, now=NOW)
    assert moment.date() == day
    assert only_date is date_only
    assert moment.tzinfo is not None


def test_time_is_kept() -> None:
    moment, date_only = parse_when("2026-11-03 14:30", now=NOW)
    assert (moment.hour, moment.minute, date_only) == (14, 30, False)


@pytest.mark.parametrize("text", ["not a date", "2026-13-45", "tomorrow", "2027-01-01"])
def test_bad_or_future_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_when(text, now=NOW)


def test_parse_day_allows_future() -> None:
    assert parse_day("2026-12-07") == dt.date(2026, 12, 7)
    with pytest.raises(ValidationError):
        parse_day("whenever")
