"""The ledger's tables, as typed SQLAlchemy 2.0 models.

The database is the source of truth; import and export formats are exchange. Times of
interactions are stored as integer epoch seconds (UTC) plus the local UTC offset, so
measures can read them as plain integer columns; vocabularies (channel, intent, ...) are
stored as their small integer codes (see :mod:`netfolio.core.enums`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from netfolio.core.enums import (
    AskDirection,
    AskStatus,
    Channel,
    EdgeSource,
    Initiator,
    Intent,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored as UTC (SQLite keeps no zone: we restore it on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Coded(TypeDecorator[StrEnum]):
    """Store a coded StrEnum (see :mod:`netfolio.core.enums`) as its small integer code."""

    impl = SmallInteger
    cache_ok = True

    def __init__(self, enum: type[Any]) -> None:
        super().__init__()
        self.enum = enum
        self._members: list[Any] = [*enum.__members__.values()]
        self._codes = {member: i for i, member in enumerate(self._members)}

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return self._codes[self.enum(value)]

    def process_result_value(self, value: int | None, dialect: Any) -> Any:
        return None if value is None else self._members[value]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime(),
        dict[str, Any]: JSON,
    }


# --- users: whose network a row belongs to ----------------------------------------------------


class AppUser(Base):
    """Someone with a network in this ledger. A personal ledger has one (``me``, id 1);
    a team database on PostgreSQL has one per member (see :mod:`netfolio.core.users`)."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the login name: lower-case letters, digits, ``.``, ``-`` and ``_``
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(300))
    #: argon2 hash; None for the personal ledger's own user, who never logs in. Deferred:
    #: a member's own database role may not read this column (see netfolio.core.roles),
    #: so loading a user never reads it unless asked.
    password_hash: Mapped[str | None] = mapped_column(String(200), deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MemberRole(Base):
    """A team member's own PostgreSQL role (``netfolio team add-user`` creates it): the
    row-level security policies map ``current_user`` to the member through this table.
    A member's role reads its own row only; the server's role reads them all."""

    __tablename__ = "member_role"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), unique=True
    )


class WebSession(Base):
    """A logged-in browser, held on the server: the cookie carries a random key whose
    SHA-256 is kept here. Logging out deletes the row; a password change deletes every
    row of that user, so an old cookie is refused even after a restart."""

    __tablename__ = "web_session"

    key_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()


class ApiToken(Base):
    """A token for scripts: only its SHA-256 is kept, the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column()
    revoked_at: Mapped[dt.datetime | None] = mapped_column()


class Owned:
    """A row of one user's private network.

    ``owner_id`` is filled by the database: 1 on SQLite (a personal ledger), and on
    PostgreSQL the acting user of the transaction (``netfolio.user_id``, set by
    :mod:`netfolio.core.db` for every session), where row-level security policies let a
    user read and write only their own rows.
    """

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), server_default=FetchedValue()
    )


#: Private tables whose owner_id is indexed (the large ones, scanned whole by the measures).
OWNER_INDEXED = ("person", "person_field", "interaction", "interaction_person", "ask", "knows")


class Person(Owned, Base):
    """Someone you know or could know."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(300))
    given_name: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    #: display name folded (case, accents, spacing) for lookup and matching
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    organisation: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    #: canonical https://www.linkedin.com/in/<slug>: an identity key
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    birthday_year: Mapped[int | None] = mapped_column(SmallInteger)
    birthday_month: Mapped[int | None] = mapped_column(SmallInteger)
    birthday_day: Mapped[int | None] = mapped_column(SmallInteger)
    how_met: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    #: a Dunbar tier (5, 15, 50, 150, 500, 1500) set by the user; None = inferred
    tier_override: Mapped[int | None] = mapped_column(SmallInteger)
    #: the user's own closeness rating, 1 (acquaintance) to 5 (closest)
    closeness: Mapped[int | None] = mapped_column(SmallInteger)
    connected_on: Mapped[dt.date | None] = mapped_column(Date)
    #: a small picture (as imported from a vCard), kept as the bytes found
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    #: where the person came from ("cli", "linkedin:Connections.csv", "demo", ...)
    source: Mapped[str] = mapped_column(String(300), default="cli")
    #: where each scalar fact came from, e.g. {"title": "vcard:phone.vcf"}
    fact_sources: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonEmail.id"
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonPhone.id"
    )
    links: Mapped[list[PersonLink]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonLink.id"
    )
    fields: Mapped[list[PersonField]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonField.field"
    )
    tags: Mapped[list[PersonTag]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonTag.tag"
    )

    __table_args__ = (
        CheckConstraint("closeness IS NULL OR closeness BETWEEN 1 AND 5", name="closeness"),
        CheckConstraint(
            "tier_override IS NULL OR tier_override IN (5, 15, 50, 150, 500, 1500)",
            name="tier_override",
        ),
        CheckConstraint("birthday_month IS NULL OR birthday_month BETWEEN 1 AND 12", name="bmonth"),
        CheckConstraint("birthday_day IS NULL OR birthday_day BETWEEN 1 AND 31", name="bday"),
        Index("ix_person_organisation", "organisation"),
        UniqueConstraint("owner_id", "linkedin_url", name="uq_person_owner_linkedin_url"),
    )

    @property
    def birthday(self) -> str | None:
        """The birthday as ``YYYY-MM-DD`` or ``--MM-DD`` when the year is unknown."""
        if self.birthday_month is None or self.birthday_day is None:
            return None
        year = f"{self.birthday_year:04d}" if self.birthday_year else "-"
        return f"{year}-{self.birthday_month:02d}-{self.birthday_day:02d}"

    def __repr__(self) -> str:
        return f"<Person #{self.id} {self.display_name!r}>"


class PersonEmail(Owned, Base):
    __tablename__ = "person_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: normalised (lower-cased) address: an identity key
    email: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300), default="cli")
    person: Mapped[Person] = relationship(back_populates="emails")

    __table_args__ = (UniqueConstraint("owner_id", "email", name="uq_person_email_owner_email"),)


class PersonPhone(Owned, Base):
    __tablename__ = "person_phone"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: E.164 (+14155550123): an identity key
    e164: Mapped[str] = mapped_column(String(20), index=True)
    raw: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300), default="cli")
    person: Mapped[Person] = relationship(back_populates="phones")

    __table_args__ = (UniqueConstraint("person_id", "e164", name="uq_person_phone_person_e164"),)


class PersonLink(Owned, Base):
    """A web address of a person other than the LinkedIn profile (which is an identity key)."""

    __tablename__ = "person_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    label: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(300), default="cli")
    person: Mapped[Person] = relationship(back_populates="links")


class Field(Base):
    """An area of work or life; seeded from the shipped taxonomy, users may add their own."""

    __tablename__ = "field"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    custom: Mapped[bool] = mapped_column(Boolean, default=False)


class PersonField(Owned, Base):
    __tablename__ = "person_field"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(
        ForeignKey("field.slug", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: True when inferred from title/organisation rather than set by the user or a file
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300), default="cli")
    person: Mapped[Person] = relationship(back_populates="fields")


class PersonTag(Owned, Base):
    __tablename__ = "person_tag"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    person: Mapped[Person] = relationship(back_populates="tags")


class InteractionPerson(Owned, Base):
    """A participant of an interaction."""

    __tablename__ = "interaction_person"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Interaction(Owned, Base):
    """A dated contact with one or more people."""

    __tablename__ = "interaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: when, as epoch seconds UTC (date-only contacts: noon UTC of that day)
    at: Mapped[int] = mapped_column(BigInteger, index=True)
    #: the local UTC offset in minutes where it happened (for showing the local time)
    utc_offset: Mapped[int] = mapped_column(SmallInteger, default=0)
    date_only: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[Channel] = mapped_column(Coded(Channel))
    initiator: Mapped[Initiator] = mapped_column(Coded(Initiator))
    intent: Mapped[Intent] = mapped_column(Coded(Intent))
    #: True when the intent was guessed (e.g. from a message's words) and may be corrected
    intent_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    #: message text, only kept when the user asked (import --keep-content)
    content: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="cli")
    #: a stable key from the source (e.g. a calendar UID), so re-imports add nothing twice
    source_key: Mapped[str | None] = mapped_column(String(500))
    ask_id: Mapped[int | None] = mapped_column(ForeignKey("ask.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    people: Mapped[list[Person]] = relationship(
        secondary="interaction_person", order_by="Person.id", lazy="selectin"
    )

    __table_args__ = (
        UniqueConstraint("owner_id", "source_key", name="uq_interaction_owner_source_key"),
    )

    @property
    def when(self) -> dt.datetime:
        """The time it happened, in the local time zone where it happened."""
        tz = dt.timezone(dt.timedelta(minutes=self.utc_offset))
        return dt.datetime.fromtimestamp(self.at, dt.UTC).astimezone(tz)

    @property
    def day(self) -> dt.date:
        return self.when.date()


class Ask(Owned, Base):
    """A request for help, in either direction, with its status."""

    __tablename__ = "ask"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    direction: Mapped[AskDirection] = mapped_column(Coded(AskDirection))
    what: Mapped[str] = mapped_column(Text)
    status: Mapped[AskStatus] = mapped_column(Coded(AskStatus), default=AskStatus.OPEN)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="cli")

    person: Mapped[Person] = relationship()
    interactions: Mapped[list[Interaction]] = relationship(order_by="Interaction.at")


class Introduction(Owned, Base):
    """You introduced A and B: a give to both, and a knows edge between them."""

    __tablename__ = "introduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL")
    )

    a: Mapped[Person] = relationship(foreign_keys=[a_id])
    b: Mapped[Person] = relationship(foreign_keys=[b_id])


class Knows(Owned, Base):
    """Person A knows person B (stored once per pair and source, with a_id < b_id)."""

    __tablename__ = "knows"

    id: Mapped[int] = mapped_column(primary_key=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    source: Mapped[EdgeSource] = mapped_column(Coded(EdgeSource))
    strength_hint: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("a_id", "b_id", "source", name="uq_knows_pair_source"),
        CheckConstraint("a_id < b_id", name="ordered"),
    )


class Setting(Owned, Base):
    """One setting of the user ("me"): name, emails, own fields, budget, cadences..."""

    __tablename__ = "setting"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True,
        server_default=FetchedValue(),
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class ServerSetting(Base):
    """A setting of the ledger itself rather than of a user: the field taxonomy's version,
    the web server's cookie secret and password. Never part of a user's export."""

    __tablename__ = "server_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


__all__ = [
    "OWNER_INDEXED",
    "ApiToken",
    "AppUser",
    "Ask",
    "Base",
    "Field",
    "Interaction",
    "InteractionPerson",
    "Introduction",
    "Knows",
    "MemberRole",
    "Owned",
    "Person",
    "PersonEmail",
    "PersonField",
    "PersonLink",
    "PersonPhone",
    "PersonTag",
    "ServerSetting",
    "Setting",
    "WebSession",
]


# --- imports: runs, their change log, possible duplicates, job changes ------------------------


class ImportRun(Owned, Base):
    """One import: which files, in which format, when, and what it did (counts).

    Dry runs are rolled back, so they are never stored. ``undone`` is set when
    ``netfolio import undo`` reverted the run through its :class:`ImportChange` log.
    """

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(100))
    #: the file's name as given (several files: their names joined by ", ")
    file_name: Mapped[str] = mapped_column(String(1000))
    #: SHA-256 of the file (several files: of their SHA-256s, in order)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: each file: {"name", "format", "sha256", "bytes"}
    files: Mapped[list[Any]] = mapped_column(JSON, default=list)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    #: what the run did: new, updated, unchanged, merged, interactions added, skipped, ...
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    undone_at: Mapped[dt.datetime | None] = mapped_column()


class ImportChange(Owned, Base):
    """One entry of a run's change log: enough to revert the run exactly.

    ``kind`` says what happened (see :mod:`netfolio.core.import_runs`): people or
    interactions or knows edges created (``ids`` as ``[first, last]`` ranges in ``new``),
    facts of a person changed (old and new values), a contact point, tag or field added
    (``target_id``/``ref`` name the row), a field removed (``old`` holds it).
    """

    __tablename__ = "import_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("import_run.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    #: the person concerned (a plain number: the person may be gone by the time of an undo)
    person_id: Mapped[int | None] = mapped_column()
    #: the id of the row added (an email, phone or link row)
    target_id: Mapped[int | None] = mapped_column()
    #: a key: the tag, the field's slug, ...
    ref: Mapped[str | None] = mapped_column(String(320))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)


class PossibleDuplicate(Owned, Base):
    """Two people who may be one (a close name and organisation, or an ambiguous attendee).

    Stored once per pair with ``a_id < b_id``; ``status`` is ``open`` until reviewed with
    ``netfolio duplicates``, then ``merged`` or ``dismissed`` (a dismissed pair is never
    proposed again).
    """

    __tablename__ = "possible_duplicate"

    id: Mapped[int] = mapped_column(primary_key=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: 0-100: how alike the two look
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint("a_id", "b_id", name="uq_possible_duplicate_pair"),
        CheckConstraint("a_id < b_id", name="ordered"),
        CheckConstraint("status IN ('open', 'merged', 'dismissed')", name="status"),
    )


class JobChange(Owned, Base):
    """A person's new title or organisation, seen in a newer export: an occasion to congratulate."""

    __tablename__ = "job_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    old_title: Mapped[str | None] = mapped_column(String(300))
    new_title: Mapped[str | None] = mapped_column(String(300))
    old_organisation: Mapped[str | None] = mapped_column(String(300))
    new_organisation: Mapped[str | None] = mapped_column(String(300))
    #: the day the change was seen (the import's date)
    seen_on: Mapped[dt.date] = mapped_column(Date, index=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ += ["ImportChange", "ImportRun", "JobChange", "PossibleDuplicate"]


# --- the practice: remembered plan actions ----------------------------------------------------


class PlanAction(Owned, Base):
    """What you did with a person in a week's plan: ``done``, ``skip`` or ``snooze``.

    ``week`` is the Monday of the plan's week; ``on`` the day the action was taken. A done
    touch names the interaction it logged; a snooze hides the person from every plan until
    the week that contains ``until``. One row per person, week and action (a new one
    replaces the old).
    """

    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    week: Mapped[dt.date] = mapped_column(Date, index=True)
    action: Mapped[str] = mapped_column(String(10))
    until: Mapped[dt.date | None] = mapped_column(Date)
    on: Mapped[dt.date] = mapped_column(Date)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interaction.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("person_id", "week", "action", name="uq_plan_action_person_week"),
        CheckConstraint("action IN ('done', 'skip', 'snooze')", name="action"),
        CheckConstraint("action != 'snooze' OR until IS NOT NULL", name="snooze_until"),
    )


__all__ += ["PlanAction"]


for _table in OWNER_INDEXED:
    Index(f"ix_{_table}_owner_id", Base.metadata.tables[_table].c.owner_id)


# --- the team: what a user shares, the shared directory, introduction requests --------------


class ShareRule(Owned, Base):
    """A user's choice of what the team may see: a whole field, or one person.

    ``share`` False on a person keeps them out of the directory even when their field is
    shared. Only the user who made a rule sees it.
    """

    __tablename__ = "share_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str | None] = mapped_column(ForeignKey("field.slug", ondelete="CASCADE"))
    share: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("(person_id IS NULL) != (field IS NULL)", name="one_target"),
        UniqueConstraint("owner_id", "person_id", name="uq_share_rule_owner_person"),
        UniqueConstraint("owner_id", "field", name="uq_share_rule_owner_field"),
    )


class DirectoryEntry(Base):
    """"I know this person", as shared with the team: name, organisation, title, field and
    a strength bucket, and nothing else (never notes, interactions or contact details).

    Every member reads the directory; only the owner writes their entries, which
    :func:`netfolio.core.team.sync_directory` keeps in step with their sharing rules.
    """

    __tablename__ = "directory_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the member who shares this entry (not :class:`Owned`: every member reads entries)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), server_default=FetchedValue()
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    display_name: Mapped[str] = mapped_column(String(300))
    #: the name folded (see :func:`netfolio.core.identity.fold_name`), to match across members
    name_key: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    #: the organisation folded, for "who knows someone at X"
    org_key: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str | None] = mapped_column(String(300))
    #: the title folded, for "who knows someone with title T"
    title_key: Mapped[str] = mapped_column(String(300), default="")
    field: Mapped[str | None] = mapped_column(ForeignKey("field.slug", ondelete="SET NULL"))
    #: 0 strong, 1 familiar, 2 weak (see :data:`netfolio.core.team.BUCKETS`)
    bucket: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("owner_id", "person_id", name="uq_directory_entry_owner_person"),
        CheckConstraint("bucket IN (0, 1, 2)", name="bucket"),
        # A team ask matches the organisation as a whole-word prefix: on PostgreSQL the
        # pattern operator class lets LIKE 'x %' use the index under any collation.
        Index("ix_directory_entry_org_key", "org_key",
              postgresql_ops={"org_key": "text_pattern_ops"}),
        # Answers come strongest first, then by name: these let a LIMIT stop early.
        Index("ix_directory_entry_field_rank", "field", "bucket", "name_key", "id"),
        Index("ix_directory_entry_rank", "bucket", "name_key", "id"),
    )


class IntroRequest(Base):
    """A teammate asks a member who shared a person for an introduction to them.

    Both of them see the request; the introducer accepts or declines (no reason asked). An
    accepted request is logged as a give in the introducer's own ledger; either of them
    may record the outcome.
    """

    __tablename__ = "intro_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    introducer_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_entry.id", ondelete="SET NULL")
    )
    #: the person as the directory showed them when asked (kept if the entry goes)
    target_name: Mapped[str] = mapped_column(String(300))
    target_organisation: Mapped[str | None] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    outcome: Mapped[str | None] = mapped_column(String(300))
    outcome_at: Mapped[dt.datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')", name="status"
        ),
        CheckConstraint("requester_id != introducer_id", name="not_self"),
    )


__all__ += ["DirectoryEntry", "IntroRequest", "ShareRule"]


# --- sync: the user's own mail, calendar and contacts servers ---------------------------------


class SyncSource(Owned, Base):
    """A server the ledger follows: IMAP mail, a CalDAV calendar, a CardDAV address book or an
    ICS subscription URL. The password is never here: it is in the OS keyring, or in the
    environment variable ``password_env`` names (see :mod:`netfolio.io.sync.credentials`).

    ``options`` holds what the kind needs (IMAP folders, ``insecure`` TLS for this source,
    ``plain`` on loopback, ...); ``last_*`` what the last sync did.
    """

    __tablename__ = "sync_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the name the user gives it (``work-mail``); unique per user
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(String(1000))
    username: Mapped[str | None] = mapped_column(String(320))
    #: an environment variable that holds the password (read before the keyring)
    password_env: Mapped[str | None] = mapped_column(String(100))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column()
    #: ``ok`` or ``error``
    last_status: Mapped[str | None] = mapped_column(String(10))
    last_error: Mapped[str | None] = mapped_column(String(1000))
    #: the last sync's figures: messages read, new people, interactions added, skipped
    last_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        UniqueConstraint("owner_id", "name", name="uq_sync_source_owner_name"),
        CheckConstraint("kind IN ('imap', 'caldav', 'carddav', 'ics')", name="kind"),
    )


class SyncCursor(Owned, Base):
    """Where a sync of one collection (an IMAP folder, a calendar, a feed) got to.

    A new row per sync that moved it, naming the import run that wrote what it read: the
    newest row whose run was not undone is where the next sync starts, so ``netfolio import
    undo`` of a sync makes the next sync read those messages again. ``validity`` is IMAP's
    UIDVALIDITY (a change means a full resync), ``position`` the last UID read or a
    sync-token, ``modseq`` the folder's HIGHESTMODSEQ (CONDSTORE), ``state`` what else the
    kind keeps (an ICS feed's ETag).
    """

    __tablename__ = "sync_cursor"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sync_source.id", ondelete="CASCADE"), index=True
    )
    collection: Mapped[str] = mapped_column(String(500))
    validity: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(500))
    modseq: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ += ["SyncCursor", "SyncSource"]


class LedgerGeneration(Owned, Base):
    """How many committed transactions have written to one owner's network (migration 0010).

    :mod:`netfolio.core.generation` moves it in the same transaction as every write; a
    server's cached measures are keyed on it (one cheap read per request).
    """

    __tablename__ = "ledger_generation"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True,
        server_default=FetchedValue(),
    )
    generation: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())


__all__ += ["LedgerGeneration"]


# --- statistics kept at write time ------------------------------------------------------------


def _counter() -> Any:
    return mapped_column(Integer, server_default="0")


class PersonStats(Owned, Base):
    """One person's statistics over all their interactions, kept at write time (see
    :mod:`netfolio.core.person_stats`: what each column is and the invariant that keeps them
    exact). Triggers mark a row ``stale`` when a write touches its inputs; the session
    recomputes stale rows before it commits."""

    __tablename__ = "person_stats"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    stale: Mapped[bool] = mapped_column(Boolean, server_default=true())
    n_catch_up_them: Mapped[int] = _counter()
    n_catch_up_me: Mapped[int] = _counter()
    n_share_them: Mapped[int] = _counter()
    n_share_me: Mapped[int] = _counter()
    n_give_them: Mapped[int] = _counter()
    n_give_me: Mapped[int] = _counter()
    n_ask_them: Mapped[int] = _counter()
    n_ask_me: Mapped[int] = _counter()
    n_received_them: Mapped[int] = _counter()
    n_received_me: Mapped[int] = _counter()
    n_asked_of_me_them: Mapped[int] = _counter()
    n_asked_of_me_me: Mapped[int] = _counter()
    weight_q: Mapped[int] = mapped_column(BigInteger, server_default="0")
    deep: Mapped[int] = _counter()
    first_day: Mapped[int | None] = mapped_column(Integer)
    last_day: Mapped[int | None] = mapped_column(Integer)
    last_ask_day: Mapped[int | None] = mapped_column(Integer)
    last_received_day: Mapped[int | None] = mapped_column(Integer)
    last_gave_day: Mapped[int | None] = mapped_column(Integer)
    decayed_1: Mapped[float] = mapped_column(Float, server_default="0")
    decayed_2: Mapped[float] = mapped_column(Float, server_default="0")
    decayed_3: Mapped[float] = mapped_column(Float, server_default="0")

    __table_args__ = (Index("ix_person_stats_stale", "stale"),)


#: Tables derived from the others (kept by triggers and the session's commit): never
#: snapshotted, backed up, exported or copied as data; rebuilt from the rows they derive from.
DERIVED: tuple[str, ...] = ("person_stats",)

__all__ += ["DERIVED", "PersonStats"]
