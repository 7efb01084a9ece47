"""Match keys and records helpers."""

from __future__ import annotations

import pytest

from netfolio.io.normalise import (
    email_key,
    fold_name,
    normalise_linkedin_url,
    phone_key,
)
from netfolio.io.records import MAX_WARNINGS, Birthday, ParseResult, PersonRecord, SourceRef


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Ana.Silva@Example.COM ", "ana.silva@example.com"),
        ("mailto:bo@example.org", "bo@example.org"),
        ("<bo@example.org>", "bo@example.org"),
        ("not an email", None),
        ("a@b", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_email(raw: str | None, expected: str | None) -> None:
    assert email_key(raw) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(202) 555-0143", "US", "+12025550143"),
        ("+44 7700 900123", None, "+447700900123"),
        ("tel:+81-3-0000-0004", None, "+81300000004"),
        ("030 0000 0009", "DE", "+493000000009"),
        ("030 0000 0009", None, None),
        ("call me", "US", None),
        ("", "US", None),
    ],
)
def test_normalise_phone(raw: str, region: str | None, expected: str | None) -> None:
    assert phone_key(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/ana-silva/", "https://www.linkedin.com/in/ana-silva"),
        ("http://uk.linkedin.com/in/Ana-Silva?trk=x#y", "https://www.linkedin.com/in/ana-silva"),
        ("linkedin.com/in/ana-silva", "https://www.linkedin.com/in/ana-silva"),
        ("https://www.linkedin.com/in/Chlo%C3%A9-D", "https://www.linkedin.com/in/chlo%C3%A9-d"),
        ("https://www.linkedin.com/in/chloé-d", "https://www.linkedin.com/in/chlo%C3%A9-d"),
        (
            "https://www.linkedin.com/pub/ana-silva/1/2b/3c",
            "https://www.linkedin.com/pub/ana-silva/1/2b/3c",
        ),
        ("https://www.linkedin.com/company/acme", None),
        ("https://evil.example/in/ana", None),
        ("https://linkedin.com.evil.example/in/ana", None),
        ("", None),
    ],
)
def test_normalise_linkedin_url(raw: str, expected: str | None) -> None:
    assert normalise_linkedin_url(raw) == expected


def test_fold_name() -> None:
    assert fold_name("  José   ÁLVAREZ ") == "jose alvarez"
    assert fold_name("Straße") == "strasse"
    assert fold_name(None) == ""


def test_birthday_validation_and_text() -> None:
    assert Birthday.of(None, 2, 29) == Birthday(None, 2, 29)
    assert Birthday.of(2023, 2, 29) is None
    assert Birthday.of(None, 13, 1) is None
    assert str(Birthday(None, 3, 5)) == "--03-05"
    assert str(Birthday(1985, 3, 5)) == "1985-03-05"


def test_parse_result_counts_and_caps_warnings() -> None:
    result = ParseResult(format="x")
    for i in range(MAX_WARNINGS + 5):
        result.warn(f"w{i}")
    assert len(result.warnings) == MAX_WARNINGS + 1
    assert result.warnings[-1] == "... and 5 more warnings"
    result.skip("draft", SourceRef("f", line=2))
    result.skip("draft", SourceRef("f", line=3))
    assert result.skipped_by_reason() == {"draft": 2}
    assert str(SourceRef("f.vcf", line=3, item=2)) == "f.vcf, item 2, line 3"


def test_person_record_name() -> None:
    src = SourceRef("f")
    assert PersonRecord(source=src, given_name="Ana", family_name="Silva").name == "Ana Silva"
    assert PersonRecord(source=src, display_name="Dr. Ana").name == "Dr. Ana"
    assert PersonRecord(source=src).name is None
