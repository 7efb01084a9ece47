"""Your own identities (addresses, LinkedIn profiles, other names), and folding into you a
person who was really you.

Imports never make people of your identities: an export's owner whom ``init`` did not name
(a nickname, a married name) is recognised from the export itself and reported, and recorded
here with ``netfolio me --add``. A ledger where that went wrong before is fixed with
``netfolio me --fold PERSON``: the person's identities become yours, the person goes, and
the interactions read from files with the wrong "me" go too, so that importing those files
again reads them right (who started each conversation depends on who "me" is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from netfolio.core.identity import email_key, fold_name, identity_kind, normalise_linkedin_url
from netfolio.core.models import Interaction, InteractionPerson, Person
from netfolio.core.people import delete_person
from netfolio.core.settings import Me, get_me, update_me
from netfolio.errors import ValidationError


def _kind(value: str) -> tuple[str, str]:
    """``("emails" | "profiles" | "other_names", canonical value)`` of an identity."""
    text = value.strip()
    if not text:
        raise ValidationError("an empty identity")
    kind = identity_kind(text)
    if kind == "profile":
        url = normalise_linkedin_url(text)
        if url is None:
            raise ValidationError(f"{text!r} is not a LinkedIn profile URL")
        return "profiles", url
    if kind == "email":
        email = email_key(text)
        if email is None:
            raise ValidationError(f"{text!r} is not an email address")
        return "emails", email
    return "other_names", " ".join(text.split())


def edit_identities(
    *, db_session: Session, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> Me:
    """Add or remove your own addresses, LinkedIn profiles and other names (each recognised
    by its form)."""
    me = get_me(db_session=db_session)
    lists = {"emails": list(me.emails), "profiles": list(me.profiles),
             "other_names": list(me.other_names)}
    for value in add:
        kind, canonical = _kind(value)
        if canonical not in lists[kind]:
            lists[kind].append(canonical)
    for value in remove:
        kind, canonical = _kind(value)
        if kind == "other_names":
            kept = [n for n in lists[kind] if fold_name(n) != fold_name(canonical)]
        else:
            kept = [v for v in lists[kind] if v != canonical]
        if len(kept) == len(lists[kind]):
            raise ValidationError(f"{value.strip()!r} is not one of your identities")
        lists[kind] = kept
    return update_me(db_session=db_session, **lists)


@dataclass
class FoldReport:
    """What folding a person into you did."""

    person: str
    added: list[str] = field(default_factory=list)
    #: interactions read from files, removed to be read again with the right "me"
    imported_removed: int = 0
    #: interactions logged by hand that had only that person: removed
    solo_removed: int = 0
    #: the files those imported interactions came from
    sources: list[str] = field(default_factory=list)


def fold_into_me(*, db_session: Session, person: Person) -> FoldReport:
    """``person`` was you: their emails, profile and name become your identities, the
    interactions imported with them go (import the files again to read them with you as
    "me"), they are taken out of the others, and the person is deleted."""
    report = FoldReport(person.display_name)
    identities = [e.email for e in person.emails]
    if person.linkedin_url:
        identities.append(person.linkedin_url)
    me = get_me(db_session=db_session)
    if not me.name or fold_name(me.name) != fold_name(person.display_name):
        identities.append(person.display_name)
    edit_identities(db_session=db_session, add=identities)
    report.added = identities
    theirs = select(InteractionPerson.interaction_id).where(
        InteractionPerson.person_id == person.id
    )
    imported = db_session.execute(
        select(Interaction.id, Interaction.source).where(
            Interaction.id.in_(theirs), Interaction.source_key.is_not(None)
        )
    ).all()
    report.sources = sorted({source for _, source in imported if source})
    report.imported_removed = len(imported)
    ids = [i for i, _ in imported]
    for lo in range(0, len(ids), 500):
        db_session.execute(delete(Interaction).where(Interaction.id.in_(ids[lo : lo + 500])))
    db_session.flush()
    solo = db_session.execute(
        select(InteractionPerson.interaction_id)
        .where(InteractionPerson.interaction_id.in_(theirs))
        .group_by(InteractionPerson.interaction_id)
        .having(func.count() == 1)
    ).scalars().all()
    report.solo_removed = len(solo)
    delete_person(db_session=db_session, person=person)
    db_session.flush()
    return report


__all__ = ["FoldReport", "edit_identities", "fold_into_me"]
