"""The API's request and response models: the Network's plain data, described for OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator

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


class PersonRef(Model):
    id: int
    name: str


class Standing(Model):
    """A person's place in the network today: tie strength (0-100), tier, contact, goodwill."""

    strength: float
    tier: int | None
    tier_set_by_you: bool
    last_contact: str | None
    days_since: int | None
    cadence_days: int | None
    overdue: bool
    goodwill: float
    relationship: bool


class PersonSummary(Model):
    id: int
    display_name: str
    organisation: str | None
    title: str | None
    location: str | None
    fields: list[str]
    tags: list[str]
    standing: Standing | None


class Person(PersonSummary):
    given_name: str | None
    family_name: str | None
    emails: list[str]
    phones: list[str]
    linkedin_url: str | None
    links: list[str]
    inferred_fields: list[str]
    birthday: str | None
    how_met: str | None
    notes: str | None
    tier_override: int | None
    closeness: int | None
    connected_on: str | None
    source: str
    created_at: str
    updated_at: str


class PeoplePage(Model):
    total: int
    page: int
    pages: int
    per_page: int
    people: list[PersonSummary]


class PersonIn(Input):
    """A new person; fields left out are inferred from the title and organisation."""

    name: str = Field(min_length=1, max_length=300)
    organisation: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=300)
    location: str | None = Field(None, max_length=300)
    emails: list[Annotated[str, Field(max_length=320)]] = Field(default_factory=list,
                                                                max_length=20)
    phones: list[Annotated[str, Field(max_length=80)]] = Field(default_factory=list,
                                                               max_length=20)
    linkedin_url: str | None = Field(None, max_length=300)
    birthday: str | None = Field(None, max_length=20)
    how_met: str | None = Field(None, max_length=2000)
    notes: str | None = Field(None, max_length=20000)
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list,
                                                              max_length=50)
    fields: list[Annotated[str, Field(max_length=120)]] | None = Field(None, max_length=20)
    tier: TierNumber | None = None
    closeness: int | None = Field(None, ge=1, le=5)


class PersonPatch(Input):
    """Changes to a person: only what is given changes (``tier: null`` clears the tier)."""

    name: str | None = Field(None, min_length=1, max_length=300)
    organisation: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=300)
    location: str | None = Field(None, max_length=300)
    how_met: str | None = Field(None, max_length=2000)
    notes: str | None = Field(None, max_length=20000)
    add_emails: list[Annotated[str, Field(max_length=320)]] = Field(default_factory=list,
                                                                    max_length=20)
    remove_emails: list[Annotated[str, Field(max_length=320)]] = Field(default_factory=list,
                                                                       max_length=20)
    add_phones: list[Annotated[str, Field(max_length=80)]] = Field(default_factory=list,
                                                                   max_length=20)
    remove_phones: list[Annotated[str, Field(max_length=80)]] = Field(default_factory=list,
                                                                      max_length=20)
    add_tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list,
                                                                  max_length=50)
    remove_tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list,
                                                                     max_length=50)
    fields: list[Annotated[str, Field(max_length=120)]] | None = Field(None, max_length=20)
    linkedin_url: str | None = Field(None, max_length=300)
    birthday: str | None = Field(None, max_length=20)
    tier: TierNumber | None = None
    closeness: int | None = Field(None, ge=1, le=5)


class Interaction(Model):
    id: int
    when: str
    date_only: bool
    channel: str
    initiator: str
    intent: str
    intent_inferred: bool
    note: str | None
    people: list[PersonRef]
    source: str
    ask_id: int | None = None


class InteractionIn(Input):
    """What happened: who (ids, or names, emails, ``#id``), when, how and what for."""

    people: list[PersonKey] = Field(min_length=1, max_length=50)
    when: str | None = Field(None, max_length=100, examples=["yesterday", "2026-11-03 14:30"])
    channel: Channel = "message"
    intent: Intent = "catch_up"
    initiator: Initiator | None = None
    note: str | None = Field(None, max_length=5000)


class Ask(Model):
    id: int
    person: PersonRef
    direction: str
    what: str
    status: str
    opened_on: str
    closed_on: str | None


class Ledger(Model):
    person: Person
    interactions: list[Interaction]
    asks: list[Ask]
    knows: list[PersonRef]


class StrengthPart(Model):
    part: str
    points: float
    detail: str


class Why(Model):
    """Why a tie is as strong as it is: the parts of its strength, tier, cadence, goodwill."""

    standing: Standing
    parts: list[StrengthPart]
    deposits: float
    withdrawals: float
    asks_mine: int
    can_ask: bool
    next_ask: str | None
    inbound_asks: int
    inbound_builds: int
    ask_only: bool
    taker: bool


class FieldLine(Model):
    field: str
    name: str
    own: bool
    #: everyone in the field (a person in two fields counts in both)
    people: int
    share_people: float
    share_strength: float
    target: float
    gap: float
    #: under target by more than rounding (more than a point and a tenth of the target)
    under: bool = False


class Indexes(Model):
    fields_present: int
    blau: float
    blau_normalised: float
    shannon: float
    evenness: float
    effective_number: float
    hhi: float
    hhi_band: str


class DormantLine(Model):
    id: int
    name: str
    organisation: str
    value: float
    peak: float
    peak_on: str | None
    strength: float
    last_contact: str | None
    days_silent: int
    typical_interval_days: float | None
    reason_codes: list[str]
    reasons: list[str]


class ValuePoint(Model):
    date: str
    value: float


class Portfolio(Model):
    """Allocation, diversity, value over time, goodwill, transactional index, dormant ties."""

    as_of: str
    people: int
    value: float
    value_a_year_ago: float | None
    series: list[ValuePoint]
    relationships: int
    connections: int
    never_contacted: int
    never_contacted_share: float
    tiers: dict[str, int]
    overdue: int
    allocation: list[FieldLine]
    by_strength: Indexes
    by_people: Indexes
    own_share_strength: float
    own_share_people: float
    unassigned_people: int
    rebalance: list[dict[str, Any]]
    goodwill_total: float
    transactional_index: float
    asks_12m: int
    outreach_12m: int
    builds_per_ask: float | None
    cold_asks_12m: int
    ask_only: int
    takers: int
    weekly_budget: int
    this_week: int
    streak_weeks: int
    dormant: list[DormantLine]
    brokerage: dict[str, Any] | None = None
    field_names: dict[str, str]


class FieldInfo(Model):
    slug: str
    name: str
    description: str
    custom: bool
    people: int
    own: bool


class Me(Model):
    name: str | None
    emails: list[str]
    own_fields: list[str]
    weekly_budget: int
    cadence_days: dict[str, int]
    region: str | None
    #: the field targets you set (slug → fraction of 1); other fields keep their default
    targets: dict[str, float] = {}
    #: your own LinkedIn profile URLs
    profiles: list[str] = []
    #: other names you appear under in exports (a nickname, a married name)
    other_names: list[str] = []


class Csrf(Model):
    """The token to send as ``X-CSRF-Token`` with every POST, PATCH and DELETE."""

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


# -- the practice -------------------------------------------------------------------------


class PracticePerson(Model):
    id: int
    name: str
    organisation: str
    title: str
    fields: list[str]


class Reason(Model):
    code: str
    text: str
    facts: dict[str, Any]


class Suggestion(Model):
    kind: str
    text: str
    purpose: str
    opener: str
    intent: str
    introduce: PracticePerson | None


class PlanItem(Model):
    person: PracticePerson
    status: str
    score: float
    strength: float
    tier: int | None
    day: str
    reasons: list[Reason]
    suggestion: Suggestion


class Snoozed(Model):
    person: PracticePerson
    until: str


class Plan(Model):
    """A week's plan: touches within the weekly budget, each with reasons and a way to give."""

    week: str
    budget: int
    done: int
    items: list[PlanItem]
    candidates: int
    held_back: dict[str, int]
    skipped: list[PracticePerson]
    snoozed: list[Snoozed]


class PlanDone(Input):
    """How the touch went; left out, the plan's suggestion is logged."""

    intent: Intent | None = None
    channel: Channel = "message"
    note: str | None = Field(None, max_length=5000)


class Snooze(Input):
    until: str = Field(max_length=100, examples=["2027-01-15", "in 4 weeks"])


class PlanAction(Model):
    person: PersonRef
    week: str
    action: str
    on: str
    until: str | None
    interaction_id: int | None
    intent: str | None
    channel: str | None


class Need(Model):
    text: str
    company: str | None
    field: str | None
    title: str | None
    city: str | None
    tier: int | None


class AskCandidate(Model):
    person: PracticePerson
    relevance: float
    strength: float
    balance: float
    group: int
    can_ask: bool
    next_ask: str | None
    warning: str | None
    matches: list[Reason]
    reasons: list[Reason]


class WarmPath(Model):
    target: PracticePerson
    via: list[PracticePerson]
    links: list[str]
    weakest: float
    hops: int
    introducer_strength: float
    introducer_balance: float
    can_ask_introducer: bool
    warning: str | None
    matches: list[Reason]
    introducer_reasons: list[Reason]
    reasons: list[Reason]
    request: str | None


class ParsedNeed(Model):
    """What ask mode read in the need: its words, the fields and roles they point at."""

    words: list[str]
    fields: list[str]
    roles: list[str]


class AskSearch(Model):
    """Who to ask for a need (people you know, best first) and warm paths to the rest."""

    need: Need
    as_of: str
    matched: int
    targets: int
    offset: int
    limit: int
    parsed: ParsedNeed
    direct: list[AskCandidate]
    warm_paths: list[WarmPath]


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


class Draft(Model):
    purpose: str
    text: str
    person: str


class CheckIn(Input):
    draft: str = Field(min_length=1, max_length=10000)
    person: PersonKey | None = None


class Finding(Model):
    code: str
    points: int
    kind: str
    message: str


class Check(Model):
    """A draft's score (0-100; 50 and above: send it) and the findings behind it."""

    score: int
    findings: list[Finding]
