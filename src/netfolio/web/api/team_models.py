"""The team API's request bodies (``/api/v1/team/...``) and the one answer the core has no
dataclass for; every other answer is a dataclass of :mod:`netfolio.core.team`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from netfolio.core.shapes import Plain
from netfolio.core.team import ShareRules
from netfolio.web.api.models import MAX_ID, Input, PersonKey

Status = Literal["pending", "accepted", "declined", "withdrawn"]


class IntroRequestIn(Input):
    """Ask the teammate who shared a directory entry (a path's ``entry_id``) to introduce you."""

    entry_id: int = Field(ge=1, le=MAX_ID)
    message: str = Field("", max_length=2000)


class OutcomeIn(Input):
    outcome: str = Field(min_length=1, max_length=300)


class ShareIn(Input):
    """Share a person or a field (``share: false`` keeps a person out; null forgets the
    rule). Give exactly one of ``person`` and ``field``."""

    person: PersonKey | None = None
    field: str | None = Field(None, min_length=1, max_length=120)
    share: bool | None = True


@dataclass
class DirectoryChange:
    """What a change of rules did to your directory entries."""

    shared: int
    added: int
    updated: int
    removed: int


@dataclass
class SharingChange(Plain):
    """The rules after a change, and what changed in your directory entries."""

    rules: ShareRules
    directory: DirectoryChange
