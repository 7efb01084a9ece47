"""The API's request bodies (pydantic) and the response shapes the reports do not have.

Every other response is a report dataclass itself (``netfolio.network``, ``reports``,
``practice``, ``core.team``): FastAPI reads its fields for the OpenAPI document and
serialises it as the CLI's ``--json`` does (:mod:`netfolio.core.shapes`), so each report has
one shape, written once. The few shapes here add what only the web has: a person's standing
beside their ledger entry, a page of people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator

from netfolio.core.shapes import Plain
from netfolio.network import Ledger, PersonInfo
from netfolio.reports import Standing

#: The largest id any ledger stores (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1
#: Ids in paths: positive, and small enough for every database's integer column.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
#: A person in a request body: an id, or a name, an email or ``#id``.
PersonKey = Annotated[int, Field(ge=1, le=MAX_ID)] | Annotated[str, Field(min_length=1,
                                                                          max_length=300)]

Channel = Literal["in_person", "call", "video", "message", "email", "event", "social"]
Intent = Literal["catch_up", "share", "give", "ask", "received", "asked_of_me"]
Initiator = Literal["me", "them"]
Sort = Literal["name", "strength", "tier", "last-contact", "goodwill"]
TierText = Literal["5", "15", "50", "150", "500", "1500", "outer"]
TierNumber = Literal[5, 15, 50, 150, 500, 1500]


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text cannot contain NUL characters")
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Input(Model):
    """A request body: text without NUL characters (no database stores them)."""

    @field_validator("*", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _no_nul(value)


@dataclass
class Person(PersonInfo):
    """A person as the ledger holds them, with their standing today (null for a person added
    since the measures were last computed)."""

    standing: Standing | None = None
    json_hidden = ("fact_sources",)


@dataclass
class PersonSummary(Plain):
    """A person in a list: who they are, their fields and tags, and their standing today."""

    id: int
    display_name: str
    organisation: str | None
    title: str | None
    location: str | None
    fields: list[str]
    tags: list[str]
    standing: Standing | None


@dataclass
class PeoplePage(Plain):
    """One page of the people matching a search, each with their standing."""

    total: int
    page: int
    pages: int
    per_page: int
    people: list[PersonSummary] = field(default_factory=list)


@dataclass
class PersonLedger(Ledger):
    """A person (with their standing) and their interactions, asks and who they know."""

    person: Person


#: Lists in a request body: emails, phones and tags (each item and the list bounded).
Emails = Annotated[list[Annotated[str, Field(max_length=320)]], Field(max_length=20)]
Phones = Annotated[list[Annotated[str, Field(max_length=80)]], Field(max_length=20)]
Tags = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)]


class PersonFacts(Input):
    """What a request may say about a person, besides their name, emails, phones and tags."""

    organisation: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=300)
    location: str | None = Field(None, max_length=300)
    how_met: str | None = Field(None, max_length=2000)
    notes: str | None = Field(None, max_length=20000)
    fields: list[Annotated[str, Field(max_length=120)]] | None = Field(None, max_length=20)
    linkedin_url: str | None = Field(None, max_length=300)
    birthday: str | None = Field(None, max_length=20)
    tier: TierNumber | None = None
    closeness: int | None = Field(None, ge=1, le=5)


class PersonIn(PersonFacts):
    """A new person; fields left out are inferred from the title and organisation."""

    name: str = Field(min_length=1, max_length=300)
    emails: Emails = []
    phones: Phones = []
    tags: Tags = []


class PersonPatch(PersonFacts):
    """Changes to a person: only what is given changes (``tier: null`` clears the tier)."""

    name: str | None = Field(None, min_length=1, max_length=300)
    add_emails: Emails = []
    remove_emails: Emails = []
    add_phones: Phones = []
    remove_phones: Phones = []
    add_tags: Tags = []
    remove_tags: Tags = []


class InteractionIn(Input):
    """What happened: who (ids, or names, emails, ``#id``), when, how and what for."""

    people: list[PersonKey] = Field(min_length=1, max_length=50)
    when: str | None = Field(None, max_length=100, examples=["yesterday", "2026-11-03 14:30"])
    channel: Channel = "message"
    intent: Intent = "catch_up"
    initiator: Initiator | None = None
    note: str | None = Field(None, max_length=5000)


class Csrf(Model):
    """The token to send as ``X-CSRF-Token`` with every POST, PATCH and DELETE."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    token: str
    header: str = "X-CSRF-Token"


class Candidate(Model):
    """One of the people a name matches (409: say which by its id)."""

    id: int
    label: str


class Problem(Model):
    detail: Any
    #: with 409: the people the name matches
    candidates: list[Candidate] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such person (or interaction)"},
    409: {"model": Problem, "description": "A name matches several people"},
    503: {"model": Problem, "description": "The ledger is busy (an import holds its write "
          "lock past the 10 s busy timeout): nothing was written; retry after Retry-After"},
}


# -- the practice's request bodies ---------------------------------------------------------


class PlanDone(Input):
    """How the touch went; left out, the plan's suggestion is logged."""

    intent: Intent | None = None
    channel: Channel = "message"
    note: str | None = Field(None, max_length=5000)


class Snooze(Input):
    until: str = Field(max_length=100, examples=["2027-01-15", "in 4 weeks"])


class AskIn(Input):
    """An ask you made of a person (a withdrawal from your goodwill with them)."""

    person: PersonKey
    what: str = Field(min_length=1, max_length=500)
    channel: Channel = "message"
    when: str | None = Field(None, max_length=100)


class AskResolve(Input):
    status: Literal["fulfilled", "declined", "withdrawn"]
    on: str | None = Field(None, max_length=100)


class ComposeIn(Input):
    purpose: Literal["learn", "reconnect", "congratulate", "thank", "intro"] | None = None


class CheckIn(Input):
    draft: str = Field(min_length=1, max_length=10000)
    person: PersonKey | None = None
