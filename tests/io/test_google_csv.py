"""Google Contacts CSV: the current export and the legacy one."""

from __future__ import annotations

from pathlib import Path

from netfolio.io.formats import google_csv
from netfolio.io.records import Birthday, EmailRecord, PersonRecord, PhoneRecord, SourceRef

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "google"


def test_google_current_multi_values_labels_and_groups() -> None:
    result = google_csv.parse((FIXTURES / "google_current.csv").read_bytes(), filename="g.csv")
    amara, lucas = result.people
    assert amara == PersonRecord(
        source=SourceRef("g.csv", line=2),
        given_name="Amara",
        family_name="Diallo",
        display_name="Amara N. Diallo",
        emails=(
            EmailRecord("amara@sahel.example", "work"),  # "* Work": the primary one
            EmailRecord("amara.d@example.com", "home"),  # two values joined by " ::: "
            EmailRecord("amara.diallo@example.org", "home"),
        ),
        phones=(
            PhoneRecord("+221 77 000 00 01", "mobile"),
            PhoneRecord("+221 33 000 00 02", "work"),
        ),
        organisation="Sahel Ventures",
        title="Partner",
        location="Dakar, Senegal",
        linkedin_url="https://www.linkedin.com/in/amara-diallo",
        websites=("https://sahel.example",),
        birthday=Birthday(None, 6, 21),
        notes="Intro via Bruno.\nInterested in climate funds.\n\nDepartment: Fintech",
        tags=("Investors", "Dakar"),  # * myContacts and * starred are Google's own
        related=("Moussa Diallo",),
    )
    assert lucas.phones == (PhoneRecord("030 0000 0009", None, "Sister-in-law's"),)
    assert lucas.birthday == Birthday(1979, 12, 2)
    assert result.skipped_by_reason() == {"empty contact": 1}
    assert result.skipped[0].source.line == 7  # the Notes and address cells span lines


def test_google_legacy_utf16_format() -> None:
    result = google_csv.parse((FIXTURES / "google_legacy.csv").read_bytes(), filename="l.csv")
    yusuf, nameless = result.people
    assert yusuf == PersonRecord(
        source=SourceRef("l.csv", line=2),
        given_name="Yusuf",
        family_name="Demir",
        display_name="Yusuf Demir",
        emails=(EmailRecord("yusuf.demir@example.com.tr", "other"),),
        phones=(PhoneRecord("+90 532 000 00 10", "mobile"),),
        organisation="Bosphorus Logistics",
        title="Operations Lead",
        linkedin_url="https://www.linkedin.com/in/yusufdemir",
        birthday=Birthday(1988, 9, 30),
        tags=("Running club",),
    )
    assert nameless.display_name is None
    assert nameless.emails == (EmailRecord("noname@example.net"),)
    assert nameless.tags == ()
