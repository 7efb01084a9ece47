"""The LinkedIn data export: one test per real-world quirk, plus the zip and its bombs."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from netfolio.core.enums import Channel, Initiator, Intent
from netfolio.errors import ImportError_
from netfolio.io.formats import linkedin
from netfolio.io.records import EmailRecord, PersonRecord, PersonRef, SourceRef

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "linkedin"
SAM = "https://www.linkedin.com/in/sam-rivera"


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_connections_preamble_bom_finds_the_header_row() -> None:
    result = linkedin.parse(data("connections_preamble_bom.csv"), filename="Connections.csv")
    assert result.format == "linkedin"
    assert result.skipped == [] and result.warnings == []
    assert result.people == [
        PersonRecord(
            source=SourceRef("Connections.csv", line=5),
            given_name="Ana",
            family_name="Silva",
            display_name="Ana Silva",
            organisation="Acme Robotics",
            title="Head of Design",
            linkedin_url="https://www.linkedin.com/in/ana-silva-0a1b2c",
            connected_on=date(2026, 2, 8),
        ),
        PersonRecord(
            source=SourceRef("Connections.csv", line=6),
            given_name="Bruno",
            family_name="Okafor",
            display_name="Bruno Okafor",
            emails=(EmailRecord("bruno.okafor@example.org"),),
            organisation="Okafor & Partners, LLP",
            title="Founder",
            linkedin_url="https://www.linkedin.com/in/brunookafor",
            connected_on=date(2025, 1, 15),
        ),
        PersonRecord(
            source=SourceRef("Connections.csv", line=7),
            given_name="Chloé",
            family_name="Dubois-Martin",
            display_name="Chloé Dubois-Martin",
            organisation="Hôpital Saint-Louis",
            title="Cardiologist, MD",
            linkedin_url="https://www.linkedin.com/in/chlo%C3%A9-dubois",
            connected_on=date(2019, 3, 1),
        ),
    ]


def test_connections_old_export_without_url_column() -> None:
    result = linkedin.parse(data("connections_old_no_url.csv"), filename="c.csv")
    assert [(p.name, p.linkedin_url, p.emails, p.connected_on) for p in result.people] == [
        ("Dev Patel", None, (EmailRecord("dev.patel@example.com"),), date(2017, 8, 21)),
        ("Mei Tanaka", None, (), date(2016, 12, 3)),
    ]
    assert [p.source.line for p in result.people] == [2, 3]


def test_connections_hidden_members_are_skipped_and_counted() -> None:
    result = linkedin.parse(data("connections_hidden_members.csv"), filename="c.csv")
    assert [p.name for p in result.people] == ["Ana Silva", "Omar Haddad"]
    assert result.skipped_by_reason() == {"hidden member": 2}
    assert [s.source.line for s in result.skipped] == [6, 7]
    assert result.people[1].organisation is None and result.people[1].title is None


def test_connections_bad_date_keeps_the_person_and_warns() -> None:
    result = linkedin.parse(data("connections_bad_date.csv"), filename="c.csv")
    assert result.people[0].name == "Lena Vogel"
    assert result.people[0].connected_on is None
    assert result.warnings == [
        "c.csv, line 2: unreadable 'Connected On' date '31 Feb 2026': left out"
    ]


def test_messages_one_interaction_per_person_per_conversation_day() -> None:
    result = linkedin.parse(data("messages_basic.csv"), filename="messages.csv", me_urls=[SAM])
    assert result.warnings == []
    assert result.skipped_by_reason() == {"draft": 1}
    got = [
        (i.at, i.initiator, i.intent, i.participants, i.key, i.source.line, i.note, i.content)
        for i in result.interactions
    ]
    ana = PersonRef(linkedin_url="https://www.linkedin.com/in/ana-silva-0a1b2c", name="Ana Silva")
    bruno = PersonRef(linkedin_url="https://www.linkedin.com/in/brunookafor", name="Bruno Okafor")
    mei = PersonRef(linkedin_url="https://www.linkedin.com/in/mei-tanaka", name="Mei Tanaka")
    assert got == [
        (
            datetime(2024, 5, 1, 10, 11, 12, tzinfo=UTC),
            Initiator.ME,
            Intent.GIVE,
            (ana,),
            "linkedin:message:2-abc==:2024-05-01:https://www.linkedin.com/in/ana-silva-0a1b2c",
            2,
            None,
            None,
        ),
        (
            datetime(2024, 5, 3, 9, 0, tzinfo=UTC),
            Initiator.THEM,
            Intent.ASKED_OF_ME,
            (ana,),
            "linkedin:message:2-abc==:2024-05-03:https://www.linkedin.com/in/ana-silva-0a1b2c",
            4,
            None,
            None,
        ),
        (
            datetime(2024, 6, 10, 8, 0, tzinfo=UTC),
            Initiator.ME,
            Intent.SHARE,
            (bruno,),
            "linkedin:message:2-def==:2024-06-10:https://www.linkedin.com/in/brunookafor",
            5,
            "Quick question",
            None,
        ),
        (
            datetime(2024, 7, 2, 12, 0, tzinfo=UTC),
            Initiator.THEM,
            Intent.ASKED_OF_ME,
            (mei,),
            "linkedin:message:2-jkl==:2024-07-02:https://www.linkedin.com/in/mei-tanaka",
            8,
            None,
            None,
        ),
    ]
    assert all(i.channel is Channel.MESSAGE and i.intent_inferred for i in result.interactions)
    assert result.interactions[0].intent_evidence == ("congrats",)


def test_messages_infer_me_as_the_most_present_participant() -> None:
    result = linkedin.parse(data("messages_basic.csv"), filename="messages.csv")
    given = linkedin.parse(
        data("messages_basic.csv"), filename="messages.csv", me_names=["Sam Rivera"]
    )
    assert result.interactions == given.interactions
    assert result.warnings == [
        "messages.csv: took Sam Rivera (in the most conversations) to be you; "
        "pass me_urls/me_names to say otherwise"
    ]


def test_messages_keep_content_only_when_asked() -> None:
    result = linkedin.parse(
        data("messages_basic.csv"), filename="m.csv", me_urls=[SAM], keep_content=True
    )
    assert result.interactions[0].content == (
        "Sam Rivera: Hi Ana, congrats on the new role at Acme!\nAna Silva: Thank you Sam! So kind."
    )


def test_messages_group_conversation_multiline_content_and_bad_date() -> None:
    with pytest.raises(ImportError_, match="cannot tell which participant is you"):
        linkedin.parse(data("messages_group_multiline.csv"), filename="m.csv")
    result = linkedin.parse(
        data("messages_group_multiline.csv"), filename="m.csv", me_urls=[SAM], keep_content=True
    )
    assert result.skipped_by_reason() == {"bad date": 1}
    assert result.skipped[0].source.line == 6
    people = [(i.participants[0].name, i.initiator, i.intent) for i in result.interactions]
    assert people == [
        ("Ana Silva", Initiator.ME, Intent.GIVE),
        ("Omar Haddad", Initiator.ME, Intent.GIVE),
    ]
    assert result.interactions[0].content == (
        'Sam Rivera: Hi both,\nthought you\'d like this article:\n"The Long Game"'
    )
    assert result.interactions[1].content.endswith("Omar Haddad: Lovely, thanks!")


def test_invitations_with_a_message_are_message_interactions() -> None:
    result = linkedin.parse(data("invitations.csv"), filename="Invitations.csv")
    assert result.skipped_by_reason() == {"invitation without message": 1}
    lena, tom = result.interactions
    assert lena.at == datetime(2026, 1, 29, 14, 37, tzinfo=UTC)
    assert (lena.initiator, lena.intent, lena.participants) == (
        Initiator.ME,
        Intent.CATCH_UP,
        (PersonRef(linkedin_url="https://www.linkedin.com/in/lena-vogel", name="Lena Vogel"),),
    )
    assert tom.at == datetime(2025, 11, 15, 23, 45, tzinfo=UTC)
    assert (tom.initiator, tom.intent) == (Initiator.THEM, Intent.ASKED_OF_ME)
    assert tom.key == (
        "linkedin:invitation:incoming:https://www.linkedin.com/in/tom-becker:2025-11-15T23:45:00+00:00"
    )
    assert lena.content is None


def test_reparsing_gives_the_same_keys() -> None:
    first = linkedin.parse(data("messages_basic.csv"), filename="m.csv", me_urls=[SAM])
    again = linkedin.parse(data("messages_basic.csv"), filename="m.csv", me_urls=[SAM])
    assert [i.key for i in first.interactions] == [i.key for i in again.interactions]
    assert len({i.key for i in first.interactions}) == len(first.interactions)


# --- the zip -------------------------------------------------------------------------------


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def test_zip_finds_files_by_basename_in_any_folder_and_infers_me() -> None:
    archive = make_zip(
        {
            "Basic_LinkedInDataExport_05-01-2026/Connections.csv": data(
                "connections_hidden_members.csv"
            ),
            "Basic_LinkedInDataExport_05-01-2026/MESSAGES.CSV": data("messages_basic.csv"),
            "Basic_LinkedInDataExport_05-01-2026/Invitations.csv": data("invitations.csv"),
            "Basic_LinkedInDataExport_05-01-2026/Profile.csv": data("profile.csv"),
            "Basic_LinkedInDataExport_05-01-2026/Rich_Media.csv": b"whatever",
        }
    )
    result = linkedin.parse(archive, filename="export.zip")
    assert [p.name for p in result.people] == ["Ana Silva", "Omar Haddad"]
    assert result.people[0].source == SourceRef(
        "export.zip/Basic_LinkedInDataExport_05-01-2026/Connections.csv", line=5
    )
    assert len(result.interactions) == 4 + 2
    assert result.warnings == []  # "me" came from Invitations.csv and Profile.csv
    assert result.skipped_by_reason() == {
        "hidden member": 2,
        "draft": 1,
        "invitation without message": 1,
    }


def test_zip_without_export_files_is_refused() -> None:
    with pytest.raises(ImportError_, match=r"no Connections\.csv"):
        linkedin.parse(make_zip({"notes.txt": b"hello"}), filename="x.zip")


def test_zip_garbage_is_refused_clearly() -> None:
    with pytest.raises(ImportError_, match="not a readable zip file") as info:
        linkedin.parse_zip(b"PK\x03\x04 this is not really a zip", "broken.zip")
    assert info.value.file == "broken.zip"


def test_zip_bomb_by_declared_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkedin, "MAX_UNZIPPED_BYTES", 1_000_000)
    bomb = make_zip({"Connections.csv": b"a" * 2_000_000})
    with pytest.raises(ImportError_, match="zip bomb"):
        linkedin.parse(bomb, filename="bomb.zip")


def test_zip_bomb_by_ratio_is_refused_while_reading() -> None:
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    bomb = make_zip({"Connections.csv": header + b"," * 30_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(ImportError_, match="zip bomb"):
        linkedin.parse(bomb, filename="bomb.zip")


def test_zip_bomb_lying_about_its_size_is_refused() -> None:
    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    honest = make_zip({"Connections.csv": header + b"x" * 5_000_000})
    # Rewrite the declared uncompressed size (local header and central directory) to 100 bytes.
    lie = (100).to_bytes(4, "little")
    real = (len(header) + 5_000_000).to_bytes(4, "little")
    forged = honest.replace(real, lie)
    assert forged != honest
    # Reading stops at the declared size, so the lie shows as a bad checksum, never as memory.
    with pytest.raises(ImportError_, match=r"zip bomb|CRC"):
        linkedin.parse(forged, filename="liar.zip")
