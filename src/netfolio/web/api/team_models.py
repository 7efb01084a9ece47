"""The team API's request and response models (``/api/v1/team/...``), shaped as the
``to_dict()`` of :mod:`netfolio.core.team`'s dataclasses."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from netfolio.web.api.models import MAX_ID, Input, Model, PersonKey

Bucket = Literal["strong", "familiar", "weak"]
Status = Literal["pending", "accepted", "declined", "withdrawn"]


class Member(Model):
    """A member of the team (the acting one, for ``/team/me``)."""

    id: int
    username: str
    display_name: str
    can_log_in: bool


class TeamQuery(Model):
    organisation: str | None
    field: str | None
    title: str | None


class Lead(Model):
    """A teammate and how many matching people they know, per strength bucket."""

    teammate_id: int
    teammate: str
    best: Bucket
    strong: int
    familiar: int
    weak: int


class Introducer(Model):
    """A teammate who shared a person: ask them for an introduction with ``entry_id``."""

    entry_id: int
    teammate_id: int
    teammate: str
    strength: Bucket


class TeamPath(Model):
    """A warm path of two hops: you, a teammate, the person they know."""

    name: str
    organisation: str | None
    title: str | None
    field: str | None
    introducers: list[Introducer]


class TeamAnswer(Model):
    """Who on the team knows someone matching the ask, best first, and the paths."""

    query: TeamQuery
    leads: list[Lead]
    paths: list[TeamPath]
    truncated: bool


class IntroRequest(Model):
    """An introduction request as one of its two parties sees it."""

    id: int
    direction: Literal["incoming", "outgoing"]
    requester: str
    introducer: str
    target: str
    target_organisation: str | None
    message: str
    status: Status
    created_at: str
    decided_at: str | None
    outcome: str | None


class IntroRequestIn(Input):
    """Ask the teammate who shared a directory entry (a path's ``entry_id``) to introduce you."""

    entry_id: int = Field(ge=1, le=MAX_ID)
    message: str = Field("", max_length=2000)


class OutcomeIn(Input):
    outcome: str = Field(min_length=1, max_length=300)


class SharedPerson(Model):
    id: int
    name: str
    share: bool


class Sharing(Model):
    """Your sharing rules: fields shared whole, and people shared (or kept out) one by one."""

    fields: list[str]
    people: list[SharedPerson]


class ShareIn(Input):
    """Share a person or a field (``share: false`` keeps a person out; null forgets the
    rule). Give exactly one of ``person`` and ``field``."""

    person: PersonKey | None = None
    field: str | None = Field(None, min_length=1, max_length=120)
    share: bool | None = True


class DirectoryChange(Model):
    shared: int
    added: int
    updated: int
    removed: int


class SharingChange(Model):
    """The rules after a change, and what changed in your directory entries."""

    rules: Sharing
    directory: DirectoryChange
