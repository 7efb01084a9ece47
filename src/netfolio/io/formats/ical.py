"""iCalendar (``.ics``) events as interactions: who you met, when, and whether on video.

Read with ``icalendar``; recurring series are expanded with ``recurring-ical-events`` up to
``until`` (default: now), honouring ``EXDATE`` and moved or cancelled occurrences
(``RECURRENCE-ID``). Times keep their zone (``TZID``/``VTIMEZONE``); floating times are read
in ``default_tz`` (UTC unless given); all-day events are ``date_only``.

One interaction per occurrence, with every other attendee (and the organiser) as a
participant matched by email (``PersonRef(email, name=CN)``). The user's addresses come from
``me_emails``; without them the calendar's ``X-WR-CALNAME`` when it is an address (Google's
exports), else the address present in the most events (when it is in at least half of them).
An event the user is neither organiser nor attendee of still counts: it is in their calendar.

- channel ``video`` when a Zoom/Meet/Teams/Webex/... link is in LOCATION, DESCRIPTION, URL,
  CONFERENCE or the Google/Microsoft conference properties, else ``in_person``;
- initiator ``me`` when the user organised it (or nobody is named as organiser), else ``them``;
- intent ``catch_up``, inferred; note: the event's SUMMARY; content: DESCRIPTION only with
  ``keep_content``.

Skipped: cancelled events; events the user declined; each declined attendee; rooms and
resources (silently); events with no other attendee; events with more than ``max_attendees``
others (not personal contact) unless ``include_large``; series repeating more often than daily
or more than :data:`MAX_SERIES_OCCURRENCES` times (their expansion would not be bounded by the
file's size).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.errors import ImportError_
from netfolio.io.formats import _text
from netfolio.io.normalise import email_key
from netfolio.io.records import InteractionRecord, ParseResult, PersonRef, SourceRef

NAME = "ical"
LABEL = "iCalendar file"
#: Largest file accepted.
MAX_BYTES = 128 * 1024 * 1024
#: Default most other attendees for an event to count as personal contact.
MAX_ATTENDEES = 8

_CONFERENCE = re.compile(
    r"(?:zoom\.us/(?:j|my|w|s)/|zoomgov\.com/j/|meet\.google\.com/|teams\.microsoft\.com/l/"
    r"|teams\.live\.com/meet|webex\.com/|whereby\.com/|meet\.jit\.si/|gotomeet(?:ing)?\.(?:com|me)/"
    r"|chime\.aws/|bluejeans\.com/|facetime\.apple\.com/|join\.skype\.com/)",
    re.IGNORECASE,
)
_CONFERENCE_PROPS = (
    "LOCATION",
    "DESCRIPTION",
    "URL",
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
)
_TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
_PERIOD_DAYS = {"DAILY": 1.0, "WEEKLY": 7.0, "MONTHLY": 30.4, "YEARLY": 365.25}
#: A series with more occurrences than this up to ``until`` is skipped (a daily event for 27
#: years); expanding it would take seconds and it cannot be personal contact.
MAX_SERIES_OCCURRENCES = 10_000
#: The most occurrences the repeating events of one file may expand to, all series together
#: (500 daily series since 2000 would be 4.8 million; ten weekly meetings for ten years are
#: 5,200); past it the import is refused. Expansion runs at about 6,000 a second.
MAX_OCCURRENCES = 20_000
#: The BY-parts of a rule that multiply its occurrences within a period.
_EXPANDING = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE",
              "BYSECOND")
_NOT_PEOPLE = {"ROOM", "RESOURCE"}


def sniff(data: bytes, filename: str) -> float:
    """Confidence that ``data`` is an iCalendar file."""
    try:
        head = _text.head_text(data, 8192).lstrip().upper()
    except Exception:  # sniffing never fails
        return 0.0
    if head.startswith("BEGIN:VCALENDAR"):
        return 0.98
    return 0.6 if "BEGIN:VEVENT" in head else 0.0


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _address(value: Any) -> tuple[str | None, str | None, Any]:
    """``(address as found without mailto:, CN, params)`` of an ORGANIZER/ATTENDEE value."""
    raw = str(value).strip()
    if raw[:7].lower() == "mailto:":
        raw = raw[7:]
    params = getattr(value, "params", {}) or {}
    name = str(params.get("CN", "")).strip().strip('"') or None
    return (raw or None), name, params


def _text_of(event: Any, prop: str) -> str:
    return " ".join(str(v) for v in _as_list(event.get(prop)))[:20_000]


def _start(event: Any, default_tz: tzinfo) -> tuple[datetime, bool] | None:
    try:
        value = event.decoded("DTSTART")
    except (KeyError, ValueError, TypeError):
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=default_tz)), False
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC), True
    return None


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _runaway(event: Any, end: datetime | date) -> tuple[str, str] | None:
    """``(reason, detail)`` when a series repeats too often or too many times to expand."""
    rrule = event.get("RRULE")
    if not rrule:
        return None
    try:
        freq = str(rrule.get("FREQ", [""])[0]).upper()
        if freq in _TOO_FREQUENT:
            return "too frequent", freq
        start = _day(event.decoded("DTSTART"))
        stop = _day(end)
        untils = [_day(u) for u in rrule.get("UNTIL", [])]
        if untils and untils[0] is not None and stop is not None:
            stop = min(stop, untils[0])
        if start is None or stop is None or freq not in _PERIOD_DAYS:
            return None
        interval = int(rrule.get("INTERVAL", [1])[0])
        if interval < 1:  # INTERVAL=0 never advances: its expansion would never end
            return "invalid repeat rule", f"INTERVAL={interval}"
        # An upper bound of the occurrences per period: each BY-list multiplies them.
        per_period = 1
        for part in _EXPANDING:
            per_period *= max(len(rrule.get(part, [])), 1)
        if freq == "YEARLY":
            per_period *= max(len(rrule.get("BYMONTH", [])), 1)
        estimate = (stop - start).days / (_PERIOD_DAYS[freq] * interval) * per_period
        counts = rrule.get("COUNT", [])
        if counts:
            estimate = min(estimate, int(counts[0]))
    except (KeyError, ValueError, TypeError, IndexError, OverflowError, AttributeError):
        return "invalid repeat rule", "unreadable RRULE"
    if estimate > MAX_SERIES_OCCURRENCES:
        return "too many occurrences", f"about {int(estimate):,} up to the end date"
    return None


def _estimate(event: Any, end: datetime | date) -> float:
    """At most how many occurrences a kept series expands to (0 for a single event)."""
    rrule = event.get("RRULE")
    if not rrule:
        return 0.0  # a single event: bounded by the file itself
    try:
        start, stop = _day(event.decoded("DTSTART")), _day(end)
        freq = str(rrule.get("FREQ", [""])[0]).upper()
        if start is None or stop is None or freq not in _PERIOD_DAYS:
            return float(MAX_SERIES_OCCURRENCES)
        interval = max(int(rrule.get("INTERVAL", [1])[0]), 1)
        per_period = 1
        for part in (*_EXPANDING, "BYMONTH"):
            per_period *= max(len(rrule.get(part, [])), 1)
        days = max((stop - start).days, 0)
        estimate = days / (_PERIOD_DAYS[freq] * interval) * per_period + 1
        counts = rrule.get("COUNT", [])
        return min(estimate, int(counts[0])) if counts else estimate
    except (KeyError, ValueError, TypeError, IndexError, OverflowError, AttributeError):
        return float(MAX_SERIES_OCCURRENCES)


def _tz(value: tzinfo | str | None) -> tzinfo:
    if value is None:
        return UTC
    if isinstance(value, str):
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ImportError_(f"unknown time zone {value!r}") from None
    return value


def _addresses_of(event: Any) -> set[str]:
    """The organiser's and attendees' addresses of an event."""
    found = {email_key(_address(v)[0]) for v in _as_list(event.get("ATTENDEE"))}
    if event.get("ORGANIZER"):
        found.add(email_key(_address(event.get("ORGANIZER"))[0]))
    return {a for a in found if a}


def _infer_me(
    calendars: list[Any],
    events: list[Any],
    result: ParseResult,
    filename: str,
    given: set[str] | None = None,
) -> set[str]:
    def taken(address: str, how: str) -> set[str]:
        if given:
            result.warn(
                f"{filename}: none of your addresses ({', '.join(sorted(given))}) is in the "
                f"calendar; took {address} ({how}) to be you: record it with "
                f"`netfolio me --add {address}`, or import with --me"
            )
        elif how != "the calendar's name":
            result.warn(f"{filename}: took {address} ({how}) to be you; "
                        "pass me_emails to say otherwise")
        result.me_taken.append(address)
        return {address}

    for cal in calendars:
        name = email_key(str(cal.get("X-WR-CALNAME", "")))
        if name:
            return taken(name, "the calendar's name")
    counts: Counter[str] = Counter()
    organisers: Counter[str] = Counter()
    with_people = 0
    for event in events:
        found = _addresses_of(event)
        if found:
            with_people += 1
            counts.update(found)
        if event.get("ORGANIZER"):
            organiser = email_key(_address(event.get("ORGANIZER"))[0])
            if organiser:
                organisers[organiser] += 1
    ranked = counts.most_common(2)
    if (
        not given  # what was given is not overruled by a mere count of attendees
        and ranked
        and ranked[0][1] * 2 >= with_people
        and (len(ranked) == 1 or ranked[1][1] < ranked[0][1])
    ):
        return taken(ranked[0][0], "in the most events")
    top = organisers.most_common(2)
    if top and top[0][1] * 2 > sum(organisers.values()) and (
        len(top) == 1 or top[1][1] < top[0][1]
    ):
        return taken(top[0][0], "the organiser of most events")
    if with_people and not given:
        result.warn(f"{filename}: could not tell which attendee is you; pass me_emails")
    return set()


def parse(
    data: bytes,
    *,
    filename: str,
    me_emails: Iterable[str] = (),
    until: datetime | date | None = None,
    since: datetime | date | None = None,
    max_attendees: int = MAX_ATTENDEES,
    include_large: bool = False,
    keep_content: bool = False,
    default_tz: tzinfo | str | None = None,
    infer_me: bool = True,
    **_options: object,
) -> ParseResult:
    """Parse an .ics file into interactions (see the module docstring for the rules).
    ``infer_me=False``: the addresses given are the user's, even where none is in the file
    (a sync reads a few events at a time; they are not a whole calendar to infer from)."""
    import icalendar

    if len(data) > MAX_BYTES:
        raise ImportError_(f"file larger than {MAX_BYTES // 2**20} MB", file=filename)
    result = ParseResult(format=NAME)
    text = _text.decode(data, filename, result.warnings)
    if "BEGIN:VCALENDAR" not in text[:65536].upper():
        raise ImportError_("not an iCalendar file: no BEGIN:VCALENDAR", file=filename)
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # the library raises many kinds for malformed input
        raise ImportError_(f"not a readable iCalendar file ({exc})"[:300], file=filename) from None
    zone = _tz(default_tz)
    events = [ev for cal in calendars for ev in cal.walk("VEVENT")]
    me = _me(me_emails, calendars, events, result, filename, infer_me=infer_me)
    numbers: dict[str, int] = {}
    for i, event in enumerate(events, start=1):
        numbers.setdefault(str(event.get("UID", "")), i)
    now = datetime.now(UTC)
    end = until if until is not None else now
    begin = since if since is not None else date(1900, 1, 1)
    _drop_runaways(calendars, end, numbers, result, filename)
    for event in _expand(calendars, begin, end, filename):
        _occurrence(
            event, result, filename, numbers, me, zone, max_attendees, include_large, keep_content
        )
    result.interactions.sort(key=lambda i: (i.at, i.key))
    return result


def _me(
    me_emails: Iterable[str], calendars: list[Any], events: list[Any], result: ParseResult,
    filename: str, *, infer_me: bool = True,
) -> set[str]:
    """The user's addresses: those given, unless none of them is in the calendar (then whose
    calendar it is, inferred from its events), or inferred when none is given."""
    if isinstance(me_emails, str):
        me_emails = [me_emails]
    me = {e for e in (email_key(x) for x in me_emails) if e}
    if not me:
        return _infer_me(calendars, events, result, filename)
    if infer_me and events and not any(_addresses_of(event) & me for event in events):
        # None of the addresses given (init, --me) is in the calendar: whose is it?
        found = _infer_me(calendars, events, result, filename, given=me)
        return found or me
    return me


def _drop_runaways(
    calendars: list[Any], end: datetime | date, numbers: dict[str, int], result: ParseResult,
    filename: str,
) -> None:
    """Drop series too frequent or too long to be personal contact before expanding them, so
    the work stays bounded by the input rather than by what its rules could generate."""
    for cal in calendars:
        for event in list(cal.walk("VEVENT")):
            reason = _runaway(event, end)
            if reason:
                uid = str(event.get("UID", ""))
                result.skip(reason[0], SourceRef(filename, item=numbers.get(uid)), reason[1])
                cal.subcomponents.remove(event)


def _expand(
    calendars: list[Any], begin: datetime | date, end: datetime | date, filename: str
) -> list[Any]:
    """Every occurrence between ``begin`` and ``end``; an ImportError_ when the repeating
    events would expand to more than MAX_OCCURRENCES or cannot be expanded."""
    import recurring_ical_events

    expected = sum(_estimate(ev, end) for cal in calendars for ev in cal.walk("VEVENT"))
    if expected > MAX_OCCURRENCES:
        raise ImportError_(
            f"its repeating events expand to about {int(expected):,} meetings up to "
            f"{_day(end)} (at most {MAX_OCCURRENCES:,} per file): export a shorter span of "
            "the calendar", file=filename)
    occurrences: list[Any] = []
    try:
        for cal in calendars:
            occurrences += recurring_ical_events.of(cal, skip_bad_series=True).between(begin, end)
    except ImportError_:
        raise
    except Exception as exc:  # malformed rules or dates deep inside the libraries
        raise ImportError_(f"cannot expand the events ({exc})"[:300], file=filename) from None
    return occurrences


def _occurrence(
    event: Any,
    result: ParseResult,
    filename: str,
    numbers: dict[str, int],
    me: set[str],
    zone: tzinfo,
    max_attendees: int,
    include_large: bool,
    keep_content: bool,
) -> None:
    uid = str(event.get("UID", "")).strip()
    src = SourceRef(filename, item=numbers.get(uid))
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        result.skip("cancelled", src)
        return
    start = _start(event, zone)
    if start is None:
        result.skip("no start time", src)
        return
    at, date_only = start
    organiser_email = organiser_name = None
    if event.get("ORGANIZER") is not None:
        organiser_email, organiser_name, _ = _address(event.get("ORGANIZER"))
    organised_by_me = organiser_email is None or email_key(organiser_email) in me
    others: dict[str, PersonRef] = {}
    if not organised_by_me and organiser_email:
        key = email_key(organiser_email) or organiser_email
        others[key] = PersonRef(email=organiser_email, name=organiser_name)
    if not _add_attendees(event, me, others, result, src):
        result.skip("declined by you", src)
        return
    if not others:
        result.skip("no other attendee", src)
        return
    if len(others) > max_attendees and not include_large:
        result.skip("large event", src, f"{len(others)} other attendees")
        return
    blob = " ".join(_text_of(event, p) for p in _CONFERENCE_PROPS)
    summary = str(event.get("SUMMARY", "")).strip() or None
    key = _key(event, uid, at, summary, organiser_email)
    description = _text_of(event, "DESCRIPTION").strip() or None
    result.interactions.append(
        InteractionRecord(
            at=at,
            date_only=date_only,
            channel=Channel.VIDEO if _CONFERENCE.search(blob) else Channel.IN_PERSON,
            initiator=Initiator.ME if organised_by_me else Initiator.THEM,
            intent=Intent.CATCH_UP,
            participants=tuple(others.values()),
            key=key,
            source=src,
            note=summary,
            content=description if keep_content else None,
        )
    )


def _add_attendees(
    event: Any, me: set[str], others: dict[str, PersonRef], result: ParseResult, src: SourceRef
) -> bool:
    """Add the event's attendees who are people and did not decline to ``others`` (by
    address, else by name); False when you declined the event yourself."""
    for value in _as_list(event.get("ATTENDEE")):
        email, name, params = _address(value)
        normal = email_key(email)
        if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE:
            continue
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
        if normal and normal in me:
            if declined:
                return False
            continue
        if declined:
            result.skip("declined attendee", src, email or name)
            continue
        if normal is None and not name:
            continue
        key = normal or "name:" + (name or "")
        if key not in others or (name and not others[key].name):
            others[key] = PersonRef(email=email if normal else None, name=name)
    return True


def _key(
    event: Any, uid: str, at: datetime, summary: str | None, organiser_email: str | None
) -> str:
    """The occurrence's key: its UID and, for a moved occurrence, its original time; without
    a UID a digest of its time, summary and organiser."""
    if not uid:
        basis = f"{at.isoformat()}|{summary}|{organiser_email}".encode()
        return "ical:nouid:" + hashlib.sha1(basis).hexdigest()[:16]
    key = f"ical:{uid}"
    recurrence = event.get("RECURRENCE-ID")
    if recurrence is not None:
        try:
            original = event.decoded("RECURRENCE-ID")
            key += ":" + original.isoformat()
        except (KeyError, ValueError, TypeError, AttributeError):
            key += ":" + str(recurrence)
    return key


__all__ = [
    "LABEL",
    "MAX_ATTENDEES",
    "MAX_BYTES",
    "MAX_OCCURRENCES",
    "MAX_SERIES_OCCURRENCES",
    "NAME",
    "parse",
    "sniff",
]
