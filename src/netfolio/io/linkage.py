"""Record linkage in the Fellegi–Sunter manner: is this record the person it shares a key with?

Each piece of evidence about a pair (a record and a person, or two people) is compared at a
*level* (agree, agree on a weak value, disagree, unknown), and each level adds its *weight*
``log2(m / u)`` in bits, where ``m`` is how often the level is seen when the two are one
person and ``u`` how often when they are two (Fellegi & Sunter, "A Theory for Record
Linkage", JASA 64, 1969; the same scheme as splink's match weights). The sum decides one of
three outcomes:

- **merge**: ``weight >= MERGE_BITS`` and neither of the two rules below forbids it;
- **review**: the pair goes to the review list (``netfolio duplicates``);
- **apart**: two people (below ``REVIEW_BITS``, and no strong key shared).

Three rules are stronger than any sum (the weights alone would let a rare shared landline
carry a merge):

1. Weak shared evidence alone never merges: a landline, a generic address (``info@``,
   ``office@``...), an organisation. Without a strong key (profile URL, personal email,
   mobile phone) the names must agree exactly to merge.
2. Names that disagree never merge, except by the LinkedIn profile itself (the profile *is*
   the person; its name may be written another way). Nicknames (Bob / Robert, from the
   ``nicknames`` package), transliterations (Müller / Mueller) and swapped given and family
   names agree only at the *similar* level: with weak evidence or none they are review
   candidates, never automatic merges.
3. Two different LinkedIn profiles never merge automatically: namesakes at one organisation
   each have their own, and nothing else may tell them apart.

Beside the keys, names and organisations, two more pieces of evidence: an address whose
local part spells the other's full name (``dario.iqbal83@`` and "Dario Iqbal") makes the
names agree as an exact name would; and being in the same mail thread or meeting weighs
``log2(m / u)`` with ``u`` estimated from the import (:func:`conversation_u`).

The m and u values are round figures chosen from what each key is (a profile URL is one
person's; a switchboard number is a whole office's), and ``u`` for an exact name falls with
how common the name is in the ledger (term-frequency adjustment). The identity benchmark
(``python -m benchmarks identity``) checks the outcome on generated networks that were not
used to set them; see docs/import.md.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from netfolio.io.normalise import fold_name

#: A pair whose weight reaches this many bits is merged (unless a rule forbids it).
MERGE_BITS = 14.0
#: A pair below this weight is two people, not even a question (unless it shares a strong
#: key); at or above it, and below MERGE_BITS, it is on the review list.
REVIEW_BITS = 0.0
#: The least number of people assumed when a name's frequency is estimated (a small ledger
#: says little about how common a name is).
NAME_POPULATION = 10_000


def weight(m: float, u: float) -> float:
    """The Fellegi–Sunter agreement weight ``log2(m / u)``, in bits."""
    return math.log2(m / u)


class Outcome(StrEnum):
    MERGE = "merge"
    REVIEW = "review"
    APART = "apart"


class NameLevel(StrEnum):
    """How two names compare, from most to least alike."""

    EXACT = "exact"
    SIMILAR = "similar"  # nickname, transliteration, swapped order
    TYPO = "typo"
    INITIAL = "initial"  # "J. Smith" and "John Smith"
    PARTIAL = "partial"  # one gives only the given name ("Ana" and "Ana Núñez")
    FAMILY_ONLY = "family only"  # same family name, different given names
    GIVEN_ONLY = "given only"  # same given name, different family names (a married name?)
    DIFFERENT = "different"
    MISSING = "missing"  # one has no name (only an address or a number)


#: (m, u) per name level; EXACT's u is the name's own frequency (see name_weight).
NAME_MU: dict[NameLevel, tuple[float, float]] = {
    NameLevel.SIMILAR: (0.05, 1e-4),
    NameLevel.TYPO: (0.05, 1e-3),
    NameLevel.INITIAL: (0.03, 1e-3),
    NameLevel.PARTIAL: (0.05, 0.01),
    NameLevel.FAMILY_ONLY: (0.01, 0.01),
    NameLevel.GIVEN_ONLY: (0.02, 0.02),
    NameLevel.DIFFERENT: (0.01, 0.97),
}
#: m for an exact name: the share of one person's records that spell the name the same way.
EXACT_NAME_M = 0.75

#: m of "the same mail thread or meeting": the share of people with two addresses (or an
#: address and a profile) who appear under both in one conversation with you (a reply from
#: the phone's personal account, a meeting invitation sent to both). A round figure; u comes
#: from the data (:func:`conversation_u`).
CONVERSATION_M = 0.1

#: (m, u) of the keys a pair can share.
KEY_MU: dict[str, tuple[float, float]] = {
    "url": (0.99, 1e-7),  # a LinkedIn profile is one person's
    "email": (0.9, 1e-7),  # a personal address
    "generic email": (0.9, 0.01),  # info@, office@, sales@: a whole organisation's
    "mobile": (0.9, 1e-6),
    "phone": (0.9, 1e-5),  # a number of unknown kind
    "landline": (0.9, 1e-3),  # work, main, home, fax: an office's or a household's
    "switchboard": (0.9, 0.1),  # a number three or more people already have
    # in the same mail thread or meeting: u is the share of pairs of people who share a
    # conversation, estimated from the import itself (see conversation_u); this is its floor
    "conversation": (CONVERSATION_M, 1e-6),
}
STRONG_KEYS = frozenset({"url", "email", "mobile", "phone"})
#: Keys an office shares: the same organisation adds nothing to them.
OFFICE_KEYS = frozenset({"landline", "switchboard", "generic email"})
#: (m, u) of the organisation compared with the other's organisation or email domain.
ORG_SAME = (0.6, 0.01)
ORG_DIFFERENT = (0.3, 0.99)  # people change jobs, sources lag
DOMAIN_NAMES_ORG = (0.3, 1e-3)  # dario.iqbal83@kpmg.example and "KPMG"
SLUG_NAMES_EMAIL = (0.3, 1e-4)  # linkedin.com/in/dario-iqbal and dario.iqbal83@...
DOMAIN_OTHER_ORG = (0.15, 0.9)  # an address at one organisation, a record at another
#: Two different LinkedIn profiles: almost always two people (one person with two accounts
#: is rare, and LinkedIn merges them).
TWO_PROFILES = (0.01, 0.99)

#: Email local parts that belong to a role or an office rather than a person.
GENERIC_LOCAL_PARTS = frozenset(
    {
        "info", "office", "contact", "contacts", "hello", "hi", "admin", "administration",
        "sales", "support", "team", "mail", "enquiries", "enquiry", "inquiries",
        "reception", "frontdesk", "front.desk", "help", "service", "services", "billing",
        "accounts", "accounting", "finance", "hr", "jobs", "careers", "press", "media",
        "marketing", "general", "home", "family", "webmaster", "postmaster", "noreply",
        "no-reply", "bookings", "booking", "orders", "ops", "hola", "kontakt", "bureau",
        "secretariat", "secretary",
    }
)
#: Phone kinds that a whole office or household shares.
LANDLINE_KINDS = frozenset({"work", "main", "home", "fax", "pager", "other"})
#: Webmail and ISP domains: they say nothing about an organisation.
PERSONAL_DOMAINS = frozenset(
    {
        "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "aol",
        "icloud", "me", "mac", "proton", "protonmail", "gmx", "web", "yandex", "mail",
        "zoho", "fastmail", "hey", "tutanota", "qq", "163", "126", "orange", "free",
        "wanadoo", "btinternet", "comcast", "verizon", "t-online", "libero",
    }
)
_NOT_LETTERS = re.compile(r"[^a-z]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
#: Letters Unicode decomposition does not strip, spelt the way they are transliterated.
_SPELLED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d",
                          "ð": "d", "þ": "th", "ı": "i"})
_UMLAUT_SPELLING = re.compile(r"([aou])e")


def is_generic_email(address: str) -> bool:
    """``info@acme.example``: an address that an office shares, not a person's."""
    local = address.split("@", 1)[0].split("+", 1)[0]
    return local in GENERIC_LOCAL_PARTS


def phone_kind(kind: str | None) -> str:
    """The key kind of a phone: ``mobile``, ``landline`` (shared by an office or household)
    or ``phone`` (not said)."""
    if kind == "mobile":
        return "mobile"
    if kind in LANDLINE_KINDS:
        return "landline"
    return "phone"


@functools.lru_cache(maxsize=1)
def _nicknamer() -> object:
    from nicknames import NickNamer

    return NickNamer()


@functools.lru_cache(maxsize=65536)
def name_forms(given: str) -> frozenset[str]:
    """A given name with its nicknames and the names it is a nickname of (``bob`` → robert)."""
    namer = _nicknamer()
    forms = {given}
    forms |= namer.nicknames_of(given)  # type: ignore[attr-defined]
    forms |= namer.canonicals_of(given)  # type: ignore[attr-defined]
    return frozenset(forms)


@functools.lru_cache(maxsize=65536)
def transliterated(name_key: str) -> str:
    """A folded name spelt in plain Latin letters: ``müller`` and ``mueller`` give ``muller``."""
    return _UMLAUT_SPELLING.sub(r"\1", name_key.translate(_SPELLED))


_DIGITS = re.compile(r"\d+")


def _tokens(name_key: str) -> list[str]:
    return [t for t in (_NOT_LETTERS.sub("", p) for p in name_key.split()) if t]


def name_letters(name_key: str) -> str:
    """A folded name's letters in plain Latin, nothing else: ``müller-lópez`` → ``mullerlopez``;
    a space typed in the wrong place does not change it."""
    return "".join(_tokens(transliterated(name_key)))


def address_letters(email: str) -> str:
    """The letters of an address's local part (``dario.iqbal83+news@`` → ``darioiqbal``)."""
    local = email.split("@", 1)[0].split("+", 1)[0]
    return _NOT_LETTERS.sub("", transliterated(fold_name(local)))


def spells_name(email: str, name_key: str) -> bool:
    """The address's local part is the full name, given and family name in either order
    (``dario.iqbal83@`` and "Dario Iqbal"): the address itself names the person, however the
    display name beside it is written ("Dario", "Daro Iqbal")."""
    if is_generic_email(email):
        return False
    tokens = _tokens(transliterated(name_key))
    if len(tokens) < 2:
        return False
    local = address_letters(email)
    return len(local) >= 6 and (
        local == "".join(tokens) or local == "".join(tokens[1:] + tokens[:1])
    )


def conversation_u(pairs_sharing: int, people: int) -> float:
    """u of "the same thread or meeting", estimated from the data the way splink estimates u
    (the share of random pairs that agree): the pairs of people who share a conversation over
    all pairs of people (at least :data:`NAME_POPULATION` people), at least the floor in
    :data:`KEY_MU`."""
    people = max(people, NAME_POPULATION)  # a small ledger says little, as for names
    all_pairs = people * (people - 1) / 2
    floor = KEY_MU["conversation"][1]
    return max(pairs_sharing / all_pairs, floor) if all_pairs > 0 else floor


def compare_names(a: str, b: str) -> NameLevel:
    """How two folded names (``fold_name``) compare."""
    if not a or not b:
        return NameLevel.MISSING
    if "@" in a or "@" in b or a.startswith("+") or b.startswith("+"):
        return NameLevel.MISSING  # a name made of an address or a number
    if a == b:
        return NameLevel.EXACT
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return NameLevel.DIFFERENT  # "Guest 12" and "Guest 14": the numbers tell them apart
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return NameLevel.MISSING
    if ta == tb:
        return NameLevel.EXACT
    if len(ta) >= 2 and len(tb) >= 2 and "".join(ta) == "".join(tb):
        return NameLevel.TYPO  # the same letters, a space in another place
    if sorted(map(transliterated, ta)) == sorted(map(transliterated, tb)):
        return NameLevel.SIMILAR  # swapped order, or spelt another way
    if len(ta) == 1 or len(tb) == 1:
        one, other = (ta, tb) if len(ta) == 1 else (tb, ta)
        if one[0] == other[0] or one[0] in name_forms(other[0]):
            return NameLevel.PARTIAL
        return NameLevel.DIFFERENT
    ga, ra, gb, rb = ta[0], ta[1:], tb[0], tb[1:]
    same_rest = ra == rb or [transliterated(t) for t in ra] == [transliterated(t) for t in rb]
    nickname = ga != gb and (gb in name_forms(ga) or ga in name_forms(gb))
    if same_rest:
        if nickname:
            return NameLevel.SIMILAR
        if (len(ga) == 1 or len(gb) == 1) and ga[0] == gb[0]:
            return NameLevel.INITIAL
        if fuzz.ratio(ga, gb) >= 80:
            return NameLevel.TYPO
        return NameLevel.FAMILY_ONLY
    if ga == gb or nickname:
        if len(ra) == len(rb) and fuzz.ratio(" ".join(ra), " ".join(rb)) >= 80:
            return NameLevel.TYPO if ga == gb else NameLevel.DIFFERENT
        return NameLevel.GIVEN_ONLY
    if fuzz.ratio(" ".join(ta), " ".join(tb)) >= 90:
        return NameLevel.TYPO
    return NameLevel.DIFFERENT


def name_weight(level: NameLevel, frequency: float) -> float:
    """The weight of a name level; an exact name counts less the more common it is
    (``frequency``: the share of people with that name)."""
    if level is NameLevel.MISSING:
        return 0.0
    if level is NameLevel.EXACT:
        return weight(EXACT_NAME_M, max(frequency, 1.0 / NAME_POPULATION))
    return weight(*NAME_MU[level])


def org_key(org: str | None) -> str:
    """An organisation reduced to its letters (``Acme, Inc.`` → ``acmeinc``)."""
    return _NOT_LETTERS.sub("", fold_name(org)) if org else ""


def _stem(org: str) -> str:
    folded = fold_name(org)
    for suffix in (" inc", " ltd", " llc", " gmbh", " sa", " ag", " plc", " bv", " srl",
                   " group", " corp", " corporation", " co"):
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)]
    return _NOT_LETTERS.sub("", folded)


def domain_names_org(email: str, org: str | None) -> bool:
    """The email's domain names the organisation (``@kpmg.example`` and "KPMG")."""
    if not org or "@" not in email:
        return False
    labels = email.rsplit("@", 1)[1].split(".")
    if len(labels) < 2:
        return False
    label = labels[-2]
    if label in PERSONAL_DOMAINS or len(label) < 2:
        return False
    stem = _stem(org)
    label = _NOT_LETTERS.sub("", label)
    return bool(stem) and (label == stem or (len(label) >= 4 and stem.startswith(label)))


def is_organisation_domain(email: str) -> bool:
    """The address is at an organisation's own domain (not webmail, not an ISP)."""
    labels = email.rsplit("@", 1)[-1].split(".")
    return len(labels) >= 2 and labels[-2] not in PERSONAL_DOMAINS and not is_generic_email(
        email
    )


def slug_names_email(url: str | None, email: str) -> bool:
    """The profile URL's slug and the email's local part are the same handle, digits and all
    (``linkedin.com/in/jdoe83`` and ``j.doe83@``): a name alone is not enough, a namesake
    writes it the same way."""
    if not url or "/in/" not in url:
        return False
    slug = _NOT_ALNUM.sub("", url.rsplit("/in/", 1)[1].rstrip("/"))
    local = _NOT_ALNUM.sub("", email.split("@", 1)[0].split("+", 1)[0])
    return len(local) >= 5 and slug == local and any(c.isdigit() for c in local)


@dataclass(frozen=True, slots=True)
class Side:
    """What is known of one side of a pair: a folded name, organisation, emails, profile."""

    name_key: str
    organisation: str | None = None
    emails: Sequence[str] = ()
    url: str | None = None
    #: the other ways this person's records wrote the name (a nickname on one card, a typo
    #: in one export): the pair's name level is the best over all of them
    other_names: Sequence[str] = ()


#: Name levels from most to least alike, to take the best of several spellings.
_NAME_RANK = {level: rank for rank, level in enumerate(NameLevel)}


def best_name_level(a: Side, b: Side) -> NameLevel:
    """How the two sides' names compare, at the best of the ways each was written."""
    level = compare_names(a.name_key, b.name_key)
    if level is NameLevel.EXACT or not (a.other_names or b.other_names):
        return level
    for x in (a.name_key, *a.other_names):
        for y in (b.name_key, *b.other_names):
            found = compare_names(x, y)
            if found is not NameLevel.MISSING and (
                level is NameLevel.MISSING or _NAME_RANK[found] < _NAME_RANK[level]
            ):
                level = found
    return level


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for a pair, its weight in bits, and the evidence (label, bits) behind it."""

    outcome: Outcome
    bits: float
    name: NameLevel
    evidence: tuple[tuple[str, float], ...]

    @property
    def score(self) -> float:
        """The weight as a 0-100 score for the review list (50 at 0 bits, 95 at MERGE_BITS)."""
        return round(100.0 / (1.0 + 2.0 ** (-(self.bits) * 4.25 / MERGE_BITS)), 1)

    @property
    def reason(self) -> str:
        """Why, in words: ``the phone +44... (9.8), different names (-6.6)``."""
        return ", ".join(f"{label} ({bits:+.1f})" for label, bits in self.evidence)


def judge(
    a: Side,
    b: Side,
    shared: Iterable[tuple[str, str]] = (),
    *,
    name_frequency: float = 0.0,
    conversation_share: float = 0.0,
) -> Verdict:
    """Score a pair: ``shared`` are the keys both have, as ``(kind, value)`` with kind one of
    :data:`KEY_MU` (``conversation``: both were in one mail thread or meeting, weighed with
    ``conversation_share``, see :func:`conversation_u`). Returns the outcome with its evidence."""
    evidence: list[tuple[str, float]] = []
    kinds: set[str] = set()
    for kind, value in shared:
        if kind in kinds and kind not in ("email", "generic email"):
            continue
        kinds.add(kind)
        if kind == "conversation":
            m, u = KEY_MU[kind][0], max(conversation_share, KEY_MU[kind][1])
            evidence.append((f"the same thread or meeting {value}", weight(m, u)))
            continue
        label = "the LinkedIn profile" if kind == "url" else f"the {kind}"
        evidence.append((f"{label} {value}", weight(*KEY_MU[kind])))
    level = best_name_level(a, b)
    if level not in (NameLevel.EXACT, NameLevel.DIFFERENT) and (
        any(spells_name(e, b.name_key) for e in a.emails)
        or any(spells_name(e, a.name_key) for e in b.emails)
    ):
        # the address names the person: the name agrees, as read from the address
        level = NameLevel.EXACT
        evidence.append(("the address spells the name", name_weight(level, name_frequency)))
    elif level is not NameLevel.MISSING:
        evidence.append((f"{level.value} name", name_weight(level, name_frequency)))
    org_a, org_b = org_key(a.organisation), org_key(b.organisation)
    office = bool(kinds) and kinds <= OFFICE_KEYS
    if org_a and org_b:
        same = org_a == org_b or fuzz.ratio(org_a, org_b) >= 90
        if not same:
            evidence.append(("different organisations", weight(*ORG_DIFFERENT)))
        elif not office:  # colleagues share the office's number: that says nothing more
            evidence.append(("same organisation", weight(*ORG_SAME)))
    elif any(domain_names_org(e, b.organisation) for e in a.emails) or any(
        domain_names_org(e, a.organisation) for e in b.emails
    ):
        evidence.append(("the email's domain names the organisation",
                         weight(*DOMAIN_NAMES_ORG)))
    elif (org_b and any(is_organisation_domain(e) for e in a.emails)) or (
        org_a and any(is_organisation_domain(e) for e in b.emails)
    ):
        evidence.append(("the email is another organisation's", weight(*DOMAIN_OTHER_ORG)))
    if "url" not in kinds and (
        any(slug_names_email(b.url, e) for e in a.emails)
        or any(slug_names_email(a.url, e) for e in b.emails)
    ):
        evidence.append(("the profile's name is the email's", weight(*SLUG_NAMES_EMAIL)))
    two_profiles = bool(a.url and b.url and a.url != b.url)
    if two_profiles:
        evidence.append(("two LinkedIn profiles", weight(*TWO_PROFILES)))
    bits = sum(w for _, w in evidence)
    outcome = (
        Outcome.MERGE if bits >= MERGE_BITS
        else Outcome.REVIEW if bits >= REVIEW_BITS or kinds & STRONG_KEYS
        else Outcome.APART
    )
    if outcome is Outcome.MERGE:
        strong = bool(kinds & STRONG_KEYS)
        if two_profiles:
            outcome = Outcome.REVIEW  # rule 3: two profiles are two people
        elif level is NameLevel.DIFFERENT and "url" not in kinds:
            outcome = Outcome.REVIEW  # rule 2: names that disagree
        elif not strong and level is not NameLevel.EXACT:
            outcome = Outcome.REVIEW  # rule 1: weak evidence alone
    return Verdict(outcome, round(bits, 2), level, tuple(evidence))


__all__ = [
    "MERGE_BITS",
    "NameLevel",
    "Outcome",
    "Side",
    "Verdict",
    "address_letters",
    "compare_names",
    "conversation_u",
    "domain_names_org",
    "is_generic_email",
    "judge",
    "name_forms",
    "name_letters",
    "phone_kind",
    "slug_names_email",
    "spells_name",
    "transliterated",
]
