"""Reminders: the weekly plans and birthdays as an iCalendar file (RFC 5545) for any calendar app.

Each suggested touch is an all-day event on its day of the week, with the reasons, the way to
give and an opener in the description; birthdays are yearly events (``RRULE:FREQ=YEARLY``; a
29 February birthday falls on the last day of February in other years). UIDs are stable (the
week and the person; the person for a birthday), so importing a newer export updates events
instead of duplicating them; people skipped or snoozed since are sent as cancelled events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from icalendar import Calendar, Event

from netfolio.core.shapes import Plain
from netfolio.practice.plan import PlanItem, PlanReport

PRODID = "-//netfolio//netfolio plan//EN"
UID_DOMAIN = "netfolio.invalid"
_SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_VERB = {
    "thank": "Thank",
    "congratulate": "Congratulate",
    "introduce": "Offer an introduction to",
    "share": "Share something with",
    "ask_about_work": "Ask about the work of",
}


@dataclass(frozen=True)
class CalendarInfo(Plain):
    """What ``netfolio calendar`` wrote: where, which weeks, how many touches and birthdays."""

    path: str
    first_week: dt.date
    weeks: int
    touches: int
    cancelled: int
    birthdays: int



def plan_uid(week: dt.date, person_id: int) -> str:
    """The UID of a person's touch in a week's plan (the same on every export)."""
    return f"plan-{week.isoformat()}-person-{person_id}@{UID_DOMAIN}"


def birthday_uid(person_id: int) -> str:
    return f"birthday-person-{person_id}@{UID_DOMAIN}"


def _description(item: PlanItem) -> str:
    lines = ["Why:"]
    lines += [f"- {r.text}" for r in item.reasons] or ["- You marked it done."]
    s = item.suggestion
    lines += ["", f"How to give: {s.text}", "", f"An opener: {s.opener}", "",
              f"When done: netfolio plan done \"#{item.person.id}\" --intent {s.intent}"]
    return "\n".join(lines)


def _base(uid: str, now: dt.datetime, sequence: int) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("sequence", sequence)
    return event


def calendar_ics(
    plans: Sequence[PlanReport],
    birthdays: Mapping[int, tuple[int | None, int, int]] = {},
    names: Mapping[int, str] = {},
    *,
    now: dt.datetime | None = None,
) -> bytes:
    """The iCalendar file of ``plans`` and of ``birthdays`` (person id → (year or None, month,
    day), named by ``names``). ``now`` stamps the events (default: the current time)."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "netfolio: your plan and birthdays")
    for plan in plans:
        for item in plan.items:
            event = _base(plan_uid(plan.week, item.person.id), stamp, sequence)
            verb = _VERB.get(item.suggestion.kind, "Get in touch with")
            done = "✓ " if item.status == "done" else ""
            event.add("summary", f"{done}{verb} {item.person.name}")
            event.add("dtstart", item.day)
            event.add("dtend", item.day + dt.timedelta(days=1))
            event.add("description", _description(item))
            event.add("categories", ["netfolio", "plan"])
            event.add("transp", "TRANSPARENT")
            event.add("status", "CONFIRMED")
            cal.add_component(event)
        gone = [(p, "skipped") for p in plan.skipped] + [(p, "snoozed") for p, _ in plan.snoozed]
        for person, why in gone:
            event = _base(plan_uid(plan.week, person.id), stamp, sequence)
            event.add("summary", f"Get in touch with {person.name} ({why})")
            event.add("dtstart", plan.week)
            event.add("dtend", plan.week + dt.timedelta(days=1))
            event.add("status", "CANCELLED")
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    for pid in sorted(birthdays):
        year, month, day = birthdays[pid]
        name = names.get(pid, f"#{pid}")
        event = _base(birthday_uid(pid), stamp, sequence)
        event.add("summary", f"Birthday: {name}")
        first_year = year if year and year >= 1900 else 2000  # 2000: a leap year, any day fits
        try:
            start = dt.date(first_year, month, day)
        except ValueError:  # a day the month does not have (30 February): nothing to remind
            continue
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
        rule: dict[str, object] = {"freq": "yearly"}
        if (month, day) == (2, 29):
            rule.update(bymonth=2, bymonthday=-1)
        event.add("rrule", rule)
        event.add("description", f"Wish {name} a happy birthday: a give, no agenda.\n"
                  f"When done: netfolio plan done \"#{pid}\" --intent give")
        event.add("categories", ["netfolio", "birthday"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


__all__ = ["PRODID", "CalendarInfo", "birthday_uid", "calendar_ics", "plan_uid"]
