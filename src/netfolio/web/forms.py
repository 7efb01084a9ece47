"""Reading the person form: what a browser posts, turned into Network.add / Network.edit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import Form

from netfolio.errors import ValidationError

if TYPE_CHECKING:
    from netfolio.network import PersonInfo

_SPLIT = re.compile(r"[,\n;]+")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-(\d{2})$")
#: The year a birthday without one is shown in, in the form's date input (a leap year, so
#: that 29 February can be picked); "year unknown" is ticked beside it.
PLACEHOLDER_YEAR = "2000"


def split_list(text: str | None) -> list[str]:
    """``"a, b\\nc"`` → ``["a", "b", "c"]`` (commas, semicolons or lines)."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def birthday_value(date: str, no_year: bool) -> str:
    """What the form's date input and its "year unknown" box mean as a birthday:
    ``("1985-03-15", False)`` → ``"1985-03-15"``, ``("2000-03-15", True)`` → ``"--03-15"``.
    Anything else (an older browser's text) is passed on for the ledger to judge."""
    date = date.strip()
    found = _DATE.match(date)
    if found and no_year:
        return f"--{found.group(2)}-{found.group(3)}"
    return date


def birthday_input(birthday: str | None) -> tuple[str, bool]:
    """A stored birthday as the form's (date input value, year unknown)."""
    found = _NO_YEAR.match(birthday or "")
    if found:
        return f"{PLACEHOLDER_YEAR}-{found.group(1)}-{found.group(2)}", True
    return birthday or "", False


def optional_int(text: str | None, what: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(f"{what} is a whole number")
    return int(text)


@dataclass
class PersonForm:
    name: str
    organisation: str = ""
    title: str = ""
    location: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin_url: str = ""
    birthday: str = ""
    how_met: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    tier: int | None = None
    closeness: int | None = None
    #: add them though someone of that name is in the ledger (a namesake)
    new: bool = False

    def values(self) -> dict[str, Any]:
        """What the form shows again when the ledger refused it (the input kept)."""
        date, no_year = birthday_input(self.birthday)
        return {
            "name": self.name, "organisation": self.organisation, "title": self.title,
            "location": self.location, "emails": ", ".join(self.emails),
            "phones": ", ".join(self.phones), "linkedin_url": self.linkedin_url,
            "birthday": date, "birthday_no_year": no_year, "how_met": self.how_met,
            "notes": self.notes, "tags": ", ".join(self.tags), "fields": list(self.fields),
            "tier": self.tier, "closeness": self.closeness,
        }

    def create_facts(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`netfolio.Network.add`."""
        return {
            "organisation": self.organisation or None, "title": self.title or None,
            "location": self.location or None, "emails": self.emails, "phones": self.phones,
            "linkedin_url": self.linkedin_url or None, "birthday": self.birthday or None,
            "how_met": self.how_met or None, "notes": self.notes or None, "tags": self.tags,
            "fields": self.fields or None, "tier": self.tier, "closeness": self.closeness,
            "new": self.new,
        }

    def changes(self, old: PersonInfo) -> dict[str, Any]:
        """Keyword arguments for :meth:`netfolio.Network.edit`: only what changed."""
        out: dict[str, Any] = {}
        for key, new, before in (
            ("display_name", self.name, old.display_name),
            ("organisation", self.organisation, old.organisation),
            ("title", self.title, old.title), ("location", self.location, old.location),
            ("how_met", self.how_met, old.how_met), ("notes", self.notes, old.notes),
        ):
            if (new or None) != (before or None):
                out[key] = new
        if (self.linkedin_url or None) != (old.linkedin_url or None):
            out["linkedin_url"] = self.linkedin_url
        if (self.birthday or None) != (old.birthday or None):
            out["birthday"] = self.birthday
        if self.tier != old.tier_override:
            out["tier"] = self.tier
        if self.closeness != old.closeness:
            out["closeness"] = self.closeness
        emails = [e.lower() for e in self.emails]
        out["add_emails"] = [e for e in self.emails if e.lower() not in old.emails]
        out["remove_emails"] = [e for e in old.emails if e not in emails]
        out["add_phones"] = self.phones
        out["remove_phones"] = [p for p in old.phones if p not in self.phones]
        out["add_tags"] = [t for t in self.tags if t not in old.tags]
        out["remove_tags"] = [t for t in old.tags if t not in self.tags]
        if sorted(self.fields) != sorted(old.fields):
            out["fields"] = self.fields
        return out


def person_form(
    name: str = Form(..., max_length=300),
    organisation: str = Form("", max_length=300),
    title: str = Form("", max_length=300),
    location: str = Form("", max_length=300),
    emails: str = Form("", max_length=5000),
    phones: str = Form("", max_length=2000),
    linkedin_url: str = Form("", max_length=300),
    birthday: str = Form("", max_length=20),
    birthday_no_year: str = Form("", max_length=10),
    how_met: str = Form("", max_length=2000),
    notes: str = Form("", max_length=20000),
    tags: str = Form("", max_length=2000),
    fields: list[str] = Form([]),
    tier: str = Form(""),
    closeness: str = Form(""),
    new: str = Form(""),
) -> PersonForm:
    """The person form's fields (a FastAPI dependency). The birthday is a date input with a
    "year unknown" box: ticked, only the month and day are kept (``--MM-DD``)."""
    return PersonForm(
        name=name.strip(), organisation=organisation.strip(), title=title.strip(),
        location=location.strip(), emails=split_list(emails), phones=split_list(phones),
        linkedin_url=linkedin_url.strip(),
        birthday=birthday_value(birthday, bool(birthday_no_year)), how_met=how_met.strip(),
        notes=notes.strip(), tags=split_list(tags), fields=[f for f in fields if f],
        tier=optional_int(tier, "tier"), closeness=optional_int(closeness, "closeness"),
        new=bool(new),
    )


def person_values(person: PersonInfo | None) -> dict[str, Any]:
    """The person form's values for ``person`` (empty for a new person)."""
    if person is None:
        return {"fields": [], "birthday_no_year": False}
    date, no_year = birthday_input(person.birthday)
    return {
        "name": person.display_name, "organisation": person.organisation or "",
        "title": person.title or "", "location": person.location or "",
        "emails": ", ".join(person.emails), "phones": ", ".join(person.phones),
        "linkedin_url": person.linkedin_url or "", "birthday": date,
        "birthday_no_year": no_year, "how_met": person.how_met or "",
        "notes": person.notes or "", "tags": ", ".join(person.tags),
        "fields": list(person.fields), "tier": person.tier_override,
        "closeness": person.closeness,
    }
