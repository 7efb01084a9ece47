"""The ledger's vocabularies: channel, initiator, intent, ask direction and status, tier.

Each is a ``StrEnum`` (its value is the word users type and see) with a small integer
``code`` that the database stores and the measures read as numpy arrays. Codes are part
of the storage format: never renumber one, only add.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any, Self


@cache
def _codes(cls: type[Any]) -> dict[Any, int]:
    return {member: i for i, member in enumerate(cls.__members__.values())}


class _Coded(StrEnum):
    """A StrEnum whose members carry a stable small-integer storage code."""

    @property
    def code(self) -> int:
        return _codes(type(self))[self]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read a user's word (case, spaces and dashes forgiven); ValueError lists the choices."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if member.value == key:
                return member
        choices = ", ".join(m.value for m in cls)
        kind = cls.__name__.lower()
        article = "an" if kind[:1] in "aeiou" else "a"
        raise ValueError(f"{text!r} is not {article} {kind}; choose one of: {choices}")


class Channel(_Coded):
    """How a contact happened, from deepest to lightest (depth weights live in measures)."""

    IN_PERSON = "in_person"
    CALL = "call"
    VIDEO = "video"
    MESSAGE = "message"
    EMAIL = "email"
    EVENT = "event"
    SOCIAL = "social"


class Initiator(_Coded):
    """Who started the contact."""

    ME = "me"
    THEM = "them"


class Intent(_Coded):
    """What the contact was for: the ledger's deposits, withdrawals and their side."""

    CATCH_UP = "catch_up"  # deposit: no agenda
    SHARE = "share"  # deposit: they shared their expertise, you listened
    GIVE = "give"  # deposit: you helped (favour, recommendation, introduction, congratulation)
    ASK = "ask"  # withdrawal: you asked for help
    RECEIVED = "received"  # their side: they helped you
    ASKED_OF_ME = "asked_of_me"  # their side: they asked you for help

    @property
    def is_deposit(self) -> bool:
        return self in (Intent.CATCH_UP, Intent.SHARE, Intent.GIVE)

    @property
    def is_withdrawal(self) -> bool:
        return self is Intent.ASK


class AskDirection(_Coded):
    MINE = "mine"  # I asked them
    THEIRS = "theirs"  # they asked me


class AskStatus(_Coded):
    OPEN = "open"
    FULFILLED = "fulfilled"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class EdgeSource(_Coded):
    """Where a knows edge came from."""

    INTRODUCTION = "introduction"
    SAME_ORGANISATION = "same_organisation"
    STATED = "stated"
    IMPORTED = "imported"


#: Dunbar's layers: the cumulative size of each tier, innermost first.
TIERS: tuple[int, ...] = (5, 15, 50, 150, 500, 1500)

__all__ = ["TIERS", "AskDirection", "AskStatus", "Channel", "EdgeSource", "Initiator", "Intent"]
