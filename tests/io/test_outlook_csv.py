"""Outlook's classic CSV export."""

from __future__ import annotations

from pathlib import Path

import pytest

from netfolio.io.formats import outlook_csv
from netfolio.io.records import Birthday, EmailRecord, PersonRecord, PhoneRecord, SourceRef

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "outlook"

HARRIET = dict(
    given_name="Harriet",
    family_name="Okonkwo",
    display_name="Dr. Harriet Okonkwo",
    emails=(EmailRecord("harriet.okonkwo@greenleaf.example"),),
    phones=(PhoneRecord("+44 7700 900456", "mobile"), PhoneRecord("+44 113 496 0000", "work")),
    organisation="Greenleaf Energy",
    title="Buyer",
    location="Leeds, United Kingdom",
    linkedin_url="https://www.linkedin.com/in/harriet-okonkwo",
    birthday=Birthday(1980, 7, 4),
    notes="Met at the trade fair.\nFollow up in spring.\n\nDepartment: Procurement",
    tags=("Suppliers", "Conference 2024"),
    related=("Daniel Okonkwo",),
)


@pytest.mark.parametrize("name", ["outlook_classic.csv", "outlook_utf16.csv"])
def test_outlook_classic_cp1252_and_utf16_tab_separated(name: str) -> None:
    result = outlook_csv.parse((FIXTURES / name).read_bytes(), filename=name)
    harriet, tomas = result.people
    assert harriet == PersonRecord(source=SourceRef(name, line=2), **HARRIET)  # type: ignore[arg-type]
    # An Exchange (EX) address: the email comes from the display name's parentheses.
    assert tomas.emails == (EmailRecord("tomas.ferreira@contoso.example"),)
    assert tomas.birthday is None  # 0/0/00
    assert (tomas.location, tomas.related) == ("Porto, Portugal", ("Rita Sousa",))
    assert tomas.source.line == 4
    assert result.skipped_by_reason() == {"empty contact": 1}
    assert len(outlook_csv.parse((FIXTURES / name).read_bytes(), filename=name).warnings) == (
        1 if name == "outlook_classic.csv" else 0
    )


def test_outlook_day_month_order_is_detected() -> None:
    result = outlook_csv.parse((FIXTURES / "outlook_dmy_dates.csv").read_bytes(), filename="o.csv")
    assert [p.birthday for p in result.people] == [Birthday(1975, 11, 23), Birthday(1990, 6, 5)]
    forced = outlook_csv.parse(
        (FIXTURES / "outlook_dmy_dates.csv").read_bytes(), filename="o.csv", date_order="MDY"
    )
    assert forced.people[1].birthday == Birthday(1990, 5, 6)
    assert forced.people[0].birthday is None
    assert forced.warnings == ["o.csv, line 2: unreadable birthday '23/11/1975': left out"]
