"""No input makes any parser (or detection) raise anything but ImportError_."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netfolio.errors import ImportError_
from netfolio.io.formats import FORMATS, check_format, detect, linkedin
from netfolio.io.records import ParseResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
SAMPLES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

formats = st.sampled_from(sorted(FORMATS))
#: Pieces that make text look like each format, so examples reach past the first checks.
TOKENS = [
    "BEGIN:VCARD",
    "END:VCARD",
    "VERSION:2.1",
    "VERSION:4.0",
    "item1.",
    "EMAIL;TYPE=work:",
    "TEL;CELL:",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:",
    "=C3=91",
    "=",
    "PHOTO;ENCODING=b:",
    "BDAY:--03-15",
    "X-ABLabel:",
    'TYPE="a,b"',
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "DTSTART:20240101T100000Z",
    "DTSTART;VALUE=DATE:20240101",
    "RRULE:FREQ=WEEKLY;COUNT=3",
    "ATTENDEE;PARTSTAT=DECLINED:mailto:a@b.c",
    "UID:x",
    "ORGANIZER:mailto:me@x.y",
    "RECURRENCE-ID:20240108T100000Z",
    "STATUS:CANCELLED",
    "From a@b Mon Jan  1 00:00:00 2024",
    "From: =?UTF-8?Q?=C3=A9?= <a@b.c>",
    "To: b@c.d",
    "Date: Mon, 1 Jan 2024 10:00:00 +0000",
    "References: <x@y>",
    "List-Id: l",
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
    "SUBJECT,CONTENT,FOLDER",
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Birthday",
    "First Name,Last Name,E-mail Address,Business Phone,Birthday,Categories",
    "Ana,Silva,https://www.linkedin.com/in/ana,,Acme,CEO,08 Feb 2026",
    ",,,,,,07 Jun 2026",
    '"',
    '""',
    ",",
    ";",
    ":",
    "\\",
    "\\n",
    "\t",
    " ",
    "\r\n",
    "\n",
    "\r",
    "é",
    "\ufeff",
    "2024-05-01 10:11:12 UTC",
    "1/29/26, 2:37 PM",
    "0/0/00",
    "* myContacts ::: Friends",
]
texts = st.lists(st.sampled_from(TOKENS) | st.text(max_size=12), max_size=60).map("".join)


def check(name: str, raw: bytes, filename: str = "input") -> None:
    try:
        result = FORMATS[name].parse(raw, filename=filename)
    except ImportError_:
        return
    assert isinstance(result, ParseResult)
    for person in result.people:
        assert person.source.file.startswith(filename)
    for interaction in result.interactions:
        assert interaction.at.tzinfo is not None
        assert interaction.key


def check_detection(raw: bytes) -> None:
    for name in FORMATS:
        assert 0.0 <= FORMATS[name].sniff(raw, "input") <= 1.0
    with contextlib.suppress(ImportError_):
        detect(raw, "input")
    for name in FORMATS:
        with contextlib.suppress(ImportError_):
            check_format(name, raw, "input")


@FAST
@given(formats, st.binary(max_size=2000))
def test_random_bytes(name: str, raw: bytes) -> None:
    check(name, raw)
    check_detection(raw)


@FAST
@given(formats, texts, st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_format_like_text(name: str, text: str, encoding: str) -> None:
    check(name, text.encode(encoding, errors="replace"))
    check_detection(text.encode("utf-8"))


@st.composite
def mutated_fixtures(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SAMPLES)).read_bytes()[:20_000])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "delete", "insert", "flip", "duplicate"]))
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        if kind == "truncate":
            del raw[at:]
        elif kind == "delete":
            del raw[at : at + draw(st.integers(1, 50))]
        elif kind == "insert":
            raw[at:at] = draw(st.sampled_from(TOKENS)).encode() + draw(st.binary(max_size=5))
        elif kind == "flip":
            raw[at] = draw(st.integers(0, 255))
        else:
            raw[at:at] = raw[at : at + draw(st.integers(1, 200))]
    return bytes(raw)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(formats, mutated_fixtures())
def test_mutated_fixtures(name: str, raw: bytes) -> None:
    check(name, raw)
    check_detection(raw)


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            ["Connections.csv", "a/messages.csv", "Invitations.csv", "Profile.csv", "x.txt"]
        ),
        texts,
        max_size=4,
    )
)
def test_random_linkedin_zips(members: dict[str, str]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path, text in members.items():
            zf.writestr(path, text)
    check("linkedin", buf.getvalue(), "export.zip")
    with contextlib.suppress(ImportError_):
        linkedin.parse_zip(buf.getvalue()[: len(buf.getvalue()) // 2], "half.zip")
