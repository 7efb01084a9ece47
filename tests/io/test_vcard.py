"""vCard 2.1, 3.0 and 4.0: one test per real-world quirk."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from netfolio.errors import ImportError_
from netfolio.io.formats import vcard
from netfolio.io.records import (
    Birthday,
    EmailRecord,
    ParseResult,
    PersonRecord,
    PhoneRecord,
    SourceRef,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "vcard"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def parse(name: str, **options: object) -> ParseResult:
    return vcard.parse((FIXTURES / name).read_bytes(), filename=name, **options)


def test_vcard21_quoted_printable_utf8_with_soft_line_breaks() -> None:
    result = parse("vcard21_quoted_printable_utf8.vcf")
    assert result.people == [
        PersonRecord(
            source=SourceRef("vcard21_quoted_printable_utf8.vcf", line=1, item=1),
            given_name="María",
            family_name="Ñuñez",
            display_name="María Ñuñez",
            emails=(EmailRecord("maria.nunez@example.es", "home"),),
            phones=(
                PhoneRecord("+34 600 000 001", "mobile"),
                PhoneRecord("+34 910 000 002", "home"),
            ),
            notes="Conocida en la conferencia de Sevilla; le gusta el café solo.\nSegunda línea",
        )
    ]


def test_vcard21_base64_photo_continued_on_indented_lines() -> None:
    (person,) = parse("vcard21_photo_base64.vcf").people
    assert person.photo == PNG
    assert person.phones == (PhoneRecord("+48 22 000 00 03", "work"),)


def test_vcard30_icloud_grouped_properties_with_ablabel() -> None:
    (person,) = parse("vcard30_icloud_grouped_ablabel.vcf").people
    assert person == PersonRecord(
        source=SourceRef("vcard30_icloud_grouped_ablabel.vcf", line=1, item=1),
        given_name="Omar",
        family_name="Haddad",
        display_name="Omar Haddad",
        emails=(
            EmailRecord("omar@cedarlabs.example", "work"),
            EmailRecord("omar.h@example.net", None, "Climbing club"),
        ),
        phones=(PhoneRecord("+1 (415) 555-0134", "mobile"), PhoneRecord("+1 415 555 0199", "main")),
        organisation="Cedar Labs",
        title="Principal Scientist",
        location="San Francisco, CA, United States",
        linkedin_url="https://www.linkedin.com/in/omar-haddad",
        websites=("https://cedarlabs.example/omar",),
        birthday=Birthday(None, 3, 15),  # Apple's 1604 with X-APPLE-OMIT-YEAR
        notes="Department: Research",
        related=("Leila Haddad",),
    )


def test_vcard30_google_export_escapes_categories_and_birthday() -> None:
    (person,) = parse("vcard30_google_export.vcf").people
    assert person.notes == "Met at PyCon\nLikes: climbing, jazz; tea \\ coffee"
    assert person.tags == ("Friends", "Mentors")  # myContacts is Google's, not a tag
    assert person.birthday == Birthday(1985, 3, 15)
    assert person.linkedin_url == "https://www.linkedin.com/in/grace-liu"
    assert person.emails == (EmailRecord("grace.liu@example.com", "work"),)


def test_vcard40_birthdays_without_year_uri_phones_related_and_data_photo() -> None:
    kenji, ines, ravi = parse("vcard40_bday_no_year.vcf").people
    assert kenji.birthday == Birthday(None, 4, 22)  # --0422
    assert ines.birthday == Birthday(None, 3, 15)  # --03-15
    assert ravi.birthday == Birthday(1990, 1, 1)  # 19900101
    assert kenji.phones == (PhoneRecord("+81-3-0000-0004", "work"),)  # TYPE="work,voice", tel:
    assert kenji.related == ("urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af", "Aiko Sato")
    assert kenji.photo == PNG
    assert kenji.linkedin_url == "https://www.linkedin.com/in/kenji-mori"  # X-SOCIALPROFILE
    assert (ines.given_name, ines.family_name, ines.display_name) == (None, None, "Ines Costa")
    assert [p.source.item for p in (kenji, ines, ravi)] == [1, 2, 3]


def test_vcard_folded_lines_with_space_and_tab() -> None:
    (person,) = parse("vcard_folded_lines.vcf").people
    assert person.notes == (
        "This note is long enough that the writer folded it over several lines as RFC 6350 "
        "says: the continuation starts with a spaceor a tab, which is removed."
    )
    assert person.emails == (EmailRecord("sofia.rossi@example.it", "work"),)


def test_vcard_broken_cards_are_skipped_with_card_and_line() -> None:
    result = parse("vcard_broken_card.vcf")
    assert [p.name for p in result.people] == ["Good One", "Good Two"]
    assert [(s.reason, s.source.item, s.source.line, s.detail) for s in result.skipped] == [
        ("broken card", 2, 9, "not a vCard line (no ':' after THIS): 'this line is garbage'"),
        ("broken card", 3, 14, "bad base64 in PHOTO"),
        ("broken card", 5, 21, "the card has no END:VCARD (truncated file?)"),
    ]


def test_vcard_broken_card_is_fatal_when_strict() -> None:
    with pytest.raises(ImportError_) as info:
        parse("vcard_broken_card.vcf", strict=True)
    assert (info.value.file, info.value.line) == ("vcard_broken_card.vcf", 9)
    assert "card 2" in str(info.value)


def test_vcard_outlook_21_windows_1252_file() -> None:
    result = parse("vcard_outlook_21_cp1252.vcf")
    (person,) = result.people
    assert (person.given_name, person.family_name) == ("Jürgen", "Müller")
    assert (person.organisation, person.title) == ("Bäckerei Müller", "Geschäftsführer")
    assert person.notes == "Department: Vertrieb"
    assert person.location == "Berlin, Deutschland"
    assert [p.kind for p in person.phones] == ["work", "mobile", "fax"]
    assert result.warnings == [
        "vcard_outlook_21_cp1252.vcf: not UTF-8; read as Windows-1252 (check accents)"
    ]


def test_vcard_empty_card_is_skipped() -> None:
    result = parse("vcard_empty_card.vcf")
    assert result.people == []
    assert result.skipped_by_reason() == {"empty card": 1}


def test_vcard_large_photo_is_dropped_with_a_warning() -> None:
    big = base64.b64encode(b"\xff\xd8" + b"\x00" * 70_000).decode()
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{big}\r\nEND:VCARD\r\n"
    )
    result = vcard.parse(text.encode(), filename="big.vcf")
    assert result.people[0].photo is None
    assert result.warnings == ["big.vcf, item 1, line 4: photo of 68 KB dropped (limit 64 KB)"]


def test_vcard_not_a_vcard_file() -> None:
    with pytest.raises(ImportError_, match="no BEGIN:VCARD"):
        vcard.parse(b"hello world\n", filename="x.vcf")
