"""Write a generated network as the files a user would import: a LinkedIn export zip
(``Connections.csv``, ``messages.csv``, ``Profile.csv``), an ``.ics`` calendar and an mbox.

Each tie is one person with a LinkedIn profile URL and an email address (both in
``Connections.csv``, so the three sources meet on one person); ``message`` events are LinkedIn
conversations (with a same-day reply half the time), ``email`` events are mail threads, and
``meeting`` events are calendar events (a group meeting is one event with every attendee).
Asks are worded as asks, so the importer's intent classifier reads them as such.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from email.utils import format_datetime
from pathlib import Path

from benchmarks.soundness_networks import Tie

ME_NAME = "Sam Rivera"
ME_URL = "https://www.linkedin.com/in/sam-rivera-bench"
ME_EMAIL = "sam@rivera.example"
FIRST = ("Ana", "José", "Li", "María", "John", "Fatima", "Olivia", "Noah", "Chen", "Priya",
         "Lukas", "Sofía", "Ahmed", "Emma", "Kenji", "Aisha", "Mateo", "Chloé", "Wei", "Ingrid")
LAST = ("Núñez", "Smith", "García", "Wang", "Müller", "Khan", "Rossi", "Dubois", "Kowalski",
        "Okafor", "Tanaka", "Silva", "Jensen", "Brown", "Nguyen", "Ivanova", "Haddad", "Kim")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

MINE = {"catch_up": "Hi {name}, how are things going on your side?",
        "ask": "Hi {name}, could you introduce me to someone on the data team at your company?"}
THEIRS = {"catch_up": "Hi Sam, hope the week is going well.",
          "asked_of_me": "Hi Sam, would you be willing to refer me for the analyst role?"}
REPLY = "Good to hear from you, all well here."


def person(i: int) -> tuple[str, str, str, str]:
    """(first name, last name, LinkedIn URL, email) of tie ``i``: unique and stable."""
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    slug = f"p{i:05d}"
    return first, f"{last} {slug.upper()}", f"https://www.linkedin.com/in/{slug}", \
        f"{slug}@mail.example"


def write(ties: list[Tie], as_of: dt.date, folder: Path) -> list[Path]:
    """Write the three exports into ``folder``; returns their paths."""
    end = dt.datetime.combine(as_of, dt.time(12, 0), tzinfo=dt.UTC)

    def when(days_ago: int, k: int) -> dt.datetime:
        return end - dt.timedelta(days=days_ago) + dt.timedelta(minutes=7 * (k % 60) - 180)

    connections = io.StringIO()
    cw = csv.writer(connections)
    connections.write("Notes:\n\"When exporting your connection data, you may notice that some "
                      "of the email addresses are missing.\"\n\n")
    cw.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                 "Connected On"])
    messages = io.StringIO()
    mw = csv.writer(messages)
    mw.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                 "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"])
    mbox: list[str] = []
    ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netfolio//soundness benchmark//EN"]
    seen_groups: set[tuple[int, tuple[int, ...]]] = set()
    for t in ties:
        first, last, url, email = person(t.index)
        name = f"{first} {last}"
        joined = (end - dt.timedelta(days=t.start)).date()
        cw.writerow([first, last, url, email, "Acme", "Engineer",
                     f"{joined.day:02d} {MONTHS[joined.month - 1]} {joined.year}"])
        for k, e in enumerate(t.events):
            at = when(e.day, k + t.index)
            uid = f"{t.index}-{k}"
            if e.channel == "message":
                conv = f"2-{uid}=="
                stamp = at.strftime("%Y-%m-%d %H:%M:%S UTC")
                if e.mine:
                    mw.writerow([conv, "", ME_NAME, ME_URL, name, url, stamp, "",
                                 MINE[e.intent].format(name=first), "INBOX"])
                    reply_by, reply_url, to, to_url = name, url, ME_NAME, ME_URL
                else:
                    mw.writerow([conv, "", name, url, ME_NAME, ME_URL, stamp, "",
                                 THEIRS[e.intent], "INBOX"])
                    reply_by, reply_url, to, to_url = ME_NAME, ME_URL, name, url
                if (t.index + k) % 2 == 0:
                    later = (at + dt.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M:%S UTC")
                    mw.writerow([conv, "", reply_by, reply_url, to, to_url, later, "", REPLY,
                                 "INBOX"])
            elif e.channel == "email":
                sender, to = (f"{ME_NAME} <{ME_EMAIL}>", f"{name} <{email}>")
                if not e.mine:
                    sender, to = to, sender
                text = MINE[e.intent].format(name=first) if e.mine else THEIRS[e.intent]
                mbox += [
                    f"From {uid}@xxx {at.strftime('%a %b %d %H:%M:%S +0000 %Y')}",
                    f"Delivered-To: {ME_EMAIL}",
                    f"Message-ID: <{uid}@bench.example>",
                    f"Date: {format_datetime(at)}",
                    f"From: {sender}",
                    f"To: {to}",
                    "Subject: Hello",
                    "",
                    text,
                    "",
                ]
            else:
                members = tuple(sorted((t.index, *e.group)))
                if e.group:
                    if (e.day, members) in seen_groups:
                        continue
                    seen_groups.add((e.day, members))
                start = at.replace(hour=15, minute=0, second=0)
                ics += [
                    "BEGIN:VEVENT",
                    f"UID:{uid}@bench.example",
                    f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
                    f"DTEND:{(start + dt.timedelta(hours=1)).strftime('%Y%m%dT%H%M%SZ')}",
                    "SUMMARY:" + ("Team meeting" if e.group else f"Coffee with {first}"),
                    f"ORGANIZER;CN={ME_NAME}:mailto:{ME_EMAIL}" if e.mine
                    else f"ORGANIZER;CN={name}:mailto:{email}",
                    f"ATTENDEE;CN={ME_NAME};PARTSTAT=ACCEPTED:mailto:{ME_EMAIL}",
                ]
                for m in members:
                    f2, l2, _, e2 = person(m)
                    ics.append(f"ATTENDEE;CN={f2} {l2};PARTSTAT=ACCEPTED:mailto:{e2}")
                ics.append("END:VEVENT")
    ics.append("END:VCALENDAR")
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", connections.getvalue())
        zf.writestr("messages.csv", messages.getvalue())
        zf.writestr("Profile.csv", "First Name,Last Name,Headline\nSam,Rivera,Engineer\n")
    calendar = folder / "calendar.ics"
    calendar.write_bytes(("\r\n".join(ics) + "\r\n").encode())
    mail = folder / "mail.mbox"
    mail.write_text("\n".join(mbox) + "\n", encoding="utf-8")
    return [export, calendar, mail]


__all__ = ["ME_EMAIL", "ME_NAME", "ME_URL", "person", "write"]
