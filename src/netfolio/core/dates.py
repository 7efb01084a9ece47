"""Reading the dates people type: ``yesterday``, ``last friday``, ``2026-11-03``, ``3 days ago``."""

from __future__ import annotations

import datetime as dt
import re

from netfolio.errors import ValidationError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def parse_when(text: str | None, *, now: dt.datetime | None = None) -> tuple[dt.datetime, bool]:
    """A timezone-aware moment and whether only the date is known.

    Plain dates (``2026-11-03``, ``yesterday``, ``last friday``) are date-only; texts with a
    time (``2026-11-03 14:30``, ``yesterday 9am``) keep it. The future is refused: the
    ledger records what happened.
    """
    now = now or local_now()
    if text is None or not text.strip() or text.strip().lower() in ("now", "today"):
        if text and text.strip().lower() == "today":
            return now, True
        return now, False
    value = text.strip()
    if _ISO_DATE.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{text!r} is not a date") from None
        moment = dt.datetime.combine(day, dt.time(12), tzinfo=now.tzinfo)
        date_only = True
    else:
        import dateparser

        parsed = dateparser.parse(
            value,
            languages=["en"],
            settings={
                "PREFER_DATES_FROM": "past",
                "RELATIVE_BASE": now.replace(tzinfo=None),
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
        if parsed is None:
            raise ValidationError(
                f"{text!r} is not a date I can read: try 2026-11-03, yesterday or 'last friday'"
            )
        has_time = bool(re.search(r"\d:\d|\d\s*(am|pm)\b|\bnoon\b|\bago\b", value, re.I))
        moment = parsed.replace(tzinfo=now.tzinfo)
        date_only = not has_time
        if date_only:
            moment = moment.replace(hour=12, minute=0, second=0, microsecond=0)
    if moment.date() > now.date():
        raise ValidationError(f"{text!r} is in the future: log what has happened")
    return moment, date_only


def parse_day(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """A calendar day from a typed text (same rules as :func:`parse_when`, future allowed)."""
    today = today or dt.date.today()
    if text is None or not text.strip() or text.strip().lower() == "today":
        return today
    value = text.strip()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{text!r} is not a date") from None
    import dateparser

    parsed = dateparser.parse(
        value, languages=["en"],
        settings={"RELATIVE_BASE": dt.datetime.combine(today, dt.time(12))},
    )
    if parsed is None:
        raise ValidationError(f"{text!r} is not a date I can read: try 2026-11-03 or 'next monday'")
    return parsed.date()
