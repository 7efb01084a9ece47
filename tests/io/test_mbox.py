"""mbox mail: headers only, one email interaction per person per thread-day."""

from __future__ import annotations

import mmap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netfolio.core.enums import Channel, Initiator
from netfolio.errors import ImportError_
from netfolio.io.formats import mbox
from netfolio.io.records import PersonRef

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "mbox"
ME = ["sam@rivera.example"]


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_mbox_threads_days_and_encoded_names() -> None:
    result = mbox.parse(data("mbox_threads_encoded_names.mbox"), filename="m.mbox", me_emails=ME)
    got = [
        (i.at, i.initiator, i.participants, i.key, i.source.item, i.source.line)
        for i in result.interactions
    ]
    thread = "mbox:1786541234567890123:2024-05-01"
    assert got == [
        (
            datetime(2024, 5, 1, 9, tzinfo=UTC),
            Initiator.ME,
            (PersonRef(email="ana.silva@acme.example", name="Ana Silva"),),
            f"{thread}:ana.silva@acme.example",
            1,
            1,
        ),
        # Jürgen's reply (12:30 +02:00) is the same thread-day: one interaction, started by me
        (
            datetime(2024, 5, 1, 9, tzinfo=UTC),
            Initiator.ME,
            (PersonRef(email="juergen@baeckerei.example", name="Jürgen Müller"),),
            f"{thread}:juergen@baeckerei.example",
            1,
            1,
        ),
        (
            datetime(2024, 5, 2, 8, tzinfo=UTC),
            Initiator.THEM,
            (PersonRef(email="omar@cedarlabs.example", name="Haddad, Omar"),),
            "mbox:c3@cedarlabs.example:2024-05-02:omar@cedarlabs.example",
            3,
            29,
        ),
        # my reply a day later: a second thread-day, threaded by References
        (
            datetime(2024, 5, 3, 1, tzinfo=UTC),
            Initiator.ME,
            (PersonRef(email="omar@cedarlabs.example", name="Haddad, Omar"),),
            "mbox:c3@cedarlabs.example:2024-05-03:omar@cedarlabs.example",
            4,
            39,
        ),
    ]
    assert all(
        i.channel is Channel.EMAIL and i.content is None and i.note is None
        for i in result.interactions
    )
    assert result.skipped == []


def test_mbox_infers_me_from_delivered_to() -> None:
    result = mbox.parse(data("mbox_threads_encoded_names.mbox"), filename="m.mbox")
    given = mbox.parse(data("mbox_threads_encoded_names.mbox"), filename="m.mbox", me_emails=ME)
    assert result.interactions == given.interactions
    assert "took sam@rivera.example (the most common Delivered-To)" in result.warnings[0]


def test_mbox_lists_bulk_automated_noreply_and_large_are_skipped() -> None:
    result = mbox.parse(data("mbox_list_bulk.mbox"), filename="b.mbox", me_emails=ME)
    assert result.skipped_by_reason() == {
        "mailing list": 1,
        "bulk mail": 1,
        "automated mail": 1,
        "no-reply sender": 1,
        "large recipient list": 1,
    }
    (lunch,) = result.interactions  # Auto-Submitted: no is a person writing
    assert lunch.participants == (PersonRef(email="mei@blueharbor.example", name="Mei Tanaka"),)
    wide = mbox.parse(
        data("mbox_list_bulk.mbox"), filename="b.mbox", me_emails=ME, include_large=True
    )
    assert len(wide.interactions) == 1 + 9


def test_mbox_accepts_an_mmap(tmp_path: Path) -> None:
    path = tmp_path / "m.mbox"
    path.write_bytes(data("mbox_threads_encoded_names.mbox"))
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        result = mbox.parse(mapped, filename="m.mbox", me_emails=ME)  # type: ignore[arg-type]
    assert len(result.interactions) == 4


def test_mbox_crlf_line_endings() -> None:
    crlf = data("mbox_threads_encoded_names.mbox").replace(b"\n", b"\r\n")
    result = mbox.parse(crlf, filename="m.mbox", me_emails=ME)
    assert len(result.interactions) == 4


def test_mbox_not_an_mbox() -> None:
    with pytest.raises(ImportError_, match="does not start with a 'From ' line"):
        mbox.parse(b"Subject: hi\n\nbody", filename="x.mbox")
    with pytest.raises(ImportError_, match="empty file"):
        mbox.parse(b"", filename="x.mbox")
