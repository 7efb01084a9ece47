"""The shipped taxonomy of fields, and explainable inference of fields from title and organisation.

The taxonomy lives in ``netfolio/data/fields.toml`` and is loaded once. Inference is pure and
fast: both texts are folded (case, accents, punctuation) into words, every known phrase is found
as whole words through a phrase dictionary, and each field scores the phrases that point at it.
Every result carries its reasons, so "why is this person in finance?" has an answer::

    >>> infer_fields("Partner", "Northwind Ventures")[0].reasons
    ("organisation contains 'ventures'",)

The rules are documented in ``docs/fields.md``.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from netfolio.core.folding import fold
from netfolio.errors import ValidationError

#: The 20 roots of LinkedIn's industry taxonomy (V2); every field maps to one of them.
LINKEDIN_ROOTS: frozenset[str] = frozenset(
    {
        "Accommodation Services",
        "Administrative and Support Services",
        "Construction",
        "Consumer Services",
        "Education",
        "Entertainment Providers",
        "Farming, Ranching, Forestry",
        "Financial Services",
        "Government Administration",
        "Holding Companies",
        "Hospitals and Health Care",
        "Manufacturing",
        "Oil, Gas, and Mining",
        "Professional Services",
        "Real Estate and Equipment Rental Services",
        "Retail",
        "Technology, Information and Media",
        "Transportation, Logistics, Supply Chain and Storage",
        "Utilities",
        "Wholesale",
    }
)

# Scoring. A phrase of n content words weighs 1 + 0.5 * (n - 1), at most 2.5: "registered nurse"
# (1.5) says more than "nurse" (1.0). Title evidence counts in full; organisation evidence at 0.6
# (0.9 at most, for a phrase), so one title keyword outweighs any one organisation hint but not two.
# A generic title word ("engineer", "consultant") counts 0.5 whatever its length: less than any
# organisation hint, so "Engineer" at a hospital is medicine and "Consultant" at a bank is banking.
TITLE_WEIGHT = 1.0
ORGANISATION_WEIGHT = 0.6
GENERIC_WEIGHT = 0.5
#: A runner-up is returned only when it scores at least this share of the best field.
RUNNER_UP_SHARE = 0.5
_STEP = 0.5
_MAX_ORG = 1.5  # an organisation phrase never outweighs a title keyword
_MAX_WORDS = 4
_UNITS = 20  # scores are summed in whole units of 0.05, so sums and ties are exact
_ORG_OFFSET = 1_000_000  # organisation words rank after every title word
_CACHE = 1 << 15  # texts remembered: a network repeats its titles and organisations a lot
_FILLER = frozenset({"and", "of", "the", "for", "in", "at", "to"})
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_WORD = re.compile(r"[^\W_]+")
# Letters that NFKD does not take apart, folded by hand; apostrophes vanish ("women's" -> "womens").
_FOLD = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
     "’": None, "‘": None, "´": None}
)
_APOSTROPHES = re.compile(r"['`]")


@dataclass(frozen=True)
class Field:
    """One field of work or life from the shipped taxonomy.

    ``keywords`` are title phrases that point here, ``org_hints`` organisation phrases,
    ``generic`` title words that point here only weakly on their own ("engineer"), and
    ``exclude`` phrases that veto the field wherever they appear ("food bank" for banking).
    """

    slug: str
    name: str
    description: str
    linkedin: str
    keywords: tuple[str, ...]
    org_hints: tuple[str, ...]
    generic: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inference:
    """A field inferred for a person, its score and the evidence behind it."""

    slug: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # one object per phrase and field: identity is equality
class _Entry:
    """What finding one phrase means: evidence for one field, with its weight and reason."""

    field: int
    units: int  # weight in units of 1 / _UNITS
    from_title: bool
    reason: str


_Found = tuple[tuple[_Entry, ...], frozenset[int]]  # a phrase's evidence, and the fields it vetoes


class _PhraseIndex:
    """Whole-word phrase lookup: a dictionary of word tuples, reached through their first word."""

    def __init__(
        self,
        entries: Iterable[tuple[tuple[str, ...], _Entry]],
        vetoes: Iterable[tuple[tuple[str, ...], int]],
    ) -> None:
        scoring: dict[tuple[str, ...], list[_Entry]] = {}
        vetoing: dict[tuple[str, ...], set[int]] = {}
        for words, entry in entries:
            scoring.setdefault(words, []).append(entry)
        for words, field in vetoes:
            vetoing.setdefault(words, set()).add(field)
        self.phrases: dict[tuple[str, ...], _Found] = {
            words: (tuple(scoring.get(words, ())), frozenset(vetoing.get(words, ())))
            for words in scoring.keys() | vetoing.keys()
        }
        # first word -> (phrase length, what a one-word phrase means), longest first: one lookup
        # settles most words, a second one each longer phrase that starts with the word.
        starts: dict[str, list[tuple[int, _Found | None]]] = {}
        for words, found in self.phrases.items():
            single = found if len(words) == 1 else None
            starts.setdefault(words[0], []).append((len(words), single))
        self.starts = {w: tuple(sorted(o, key=lambda o: -o[0])) for w, o in starts.items()}

    def scan(self, words: list[str]) -> tuple[tuple[tuple[_Entry, int], ...], frozenset[int]]:
        """The evidence in ``words`` as (entry, position) pairs, and the fields it vetoes.

        A phrase inside a longer phrase that was also found does not count: in "Software
        Engineer" only "software engineer" scores, not "engineer" on its own.
        """
        # Phrases are tried left to right and, at each word, longest first; a phrase is kept only
        # when it reaches past every phrase found before it, i.e. is inside no longer phrase.
        evidence: list[tuple[_Entry, int]] = []
        seen: set[_Entry] = set()
        vetoed: frozenset[int] = frozenset()
        reach = 0
        n = len(words)
        starts, phrases = self.starts, self.phrases
        for i, word in enumerate(words):
            options = starts.get(word)
            if options is None:
                continue
            for size, found in options:
                end = i + size
                if end > n:
                    continue
                if found is None:
                    found = phrases.get(tuple(words[i:end]))
                    if found is None:
                        continue
                entries, vetoes = found
                if vetoes:
                    vetoed |= vetoes
                if entries and end > reach:
                    reach = end
                    for entry in entries:
                        if entry not in seen:
                            seen.add(entry)
                            evidence.append((entry, i))
        return tuple(evidence), vetoed


@dataclass(frozen=True)
class _Taxonomy:
    version: int
    fields: tuple[Field, ...]
    by_slug: Mapping[str, Field]
    by_key: Mapping[str, Field]
    title_index: _PhraseIndex
    org_index: _PhraseIndex


def words_of(text: str | None) -> list[str]:
    """Fold ``text`` into words: casefolded, accents stripped, punctuation as spaces.

    >>> words_of("Directrice Générale, R&D — L'Oréal")
    ['directrice', 'generale', 'r', 'and', 'd', 'loreal']
    """
    if not text:
        return []
    text = fold(text.translate(_FOLD) if not text.isascii() else text)
    if "'" in text or "`" in text:
        text = _APOSTROPHES.sub("", text)
    if "&" in text:
        text = text.replace("&", " and ")
    return _WORD.findall(text)


def _weight(words: tuple[str, ...]) -> float:
    content = sum(1 for w in words if w not in _FILLER) or 1
    return 1.0 + _STEP * (min(content, _MAX_WORDS) - 1)


def _strings(raw: Mapping[str, Any], key: str, where: str, *, required: bool) -> tuple[str, ...]:
    value = raw.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"fields.toml: {where}: {key!r} must be a list of strings")
    if required and not value:
        raise ValueError(f"fields.toml: {where}: {key!r} must not be empty")
    return tuple(value)


def _parse(data: Mapping[str, Any]) -> _Taxonomy:
    """Check the parsed TOML and build the lookups; a broken taxonomy fails loudly here."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError("fields.toml: 'version' must be an integer")
    fields: list[Field] = []
    for n, raw in enumerate(data.get("field", []), start=1):
        where = f"field #{n}"
        text: dict[str, str] = {}
        for key in ("slug", "name", "description", "linkedin"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"fields.toml: {where}: {key!r} must be a non-empty string")
            text[key] = value
        where = f"field {text['slug']!r}"
        if not _SLUG.fullmatch(text["slug"]):
            raise ValueError(f"fields.toml: {where}: the slug must be snake_case")
        if text["linkedin"] not in LINKEDIN_ROOTS:
            raise ValueError(f"fields.toml: {where}: {text['linkedin']!r} is no LinkedIn root")
        fields.append(
            Field(
                slug=text["slug"],
                name=text["name"],
                description=text["description"],
                linkedin=text["linkedin"],
                keywords=_strings(raw, "keywords", where, required=True),
                org_hints=_strings(raw, "org_hints", where, required=False),
                generic=_strings(raw, "generic", where, required=False),
                exclude=_strings(raw, "exclude", where, required=False),
            )
        )
    by_slug = {f.slug: f for f in fields}
    if len(by_slug) != len(fields):
        raise ValueError("fields.toml: two fields share a slug")

    title: list[tuple[tuple[str, ...], _Entry]] = []
    org: list[tuple[tuple[str, ...], _Entry]] = []
    vetoes: list[tuple[tuple[str, ...], int]] = []
    for i, f in enumerate(fields):
        for kind, phrases in (
            ("keyword", f.keywords),
            ("generic", f.generic),
            ("org", f.org_hints),
            ("exclude", f.exclude),
        ):
            for phrase in phrases:
                words = tuple(words_of(phrase))
                if not words:
                    raise ValueError(f"fields.toml: field {f.slug!r}: empty phrase {phrase!r}")
                if kind == "exclude":
                    vetoes.append((words, i))
                elif kind == "org":
                    weight = ORGANISATION_WEIGHT * min(_weight(words), _MAX_ORG)
                    reason = f"organisation contains {phrase!r}"
                    org.append((words, _Entry(i, round(weight * _UNITS), False, reason)))
                else:
                    generic = kind == "generic"
                    weight = GENERIC_WEIGHT if generic else TITLE_WEIGHT * _weight(words)
                    reason = f"title contains {phrase!r}" + (" (generic)" if generic else "")
                    title.append((words, _Entry(i, round(weight * _UNITS), True, reason)))

    by_key: dict[str, Field] = {}
    for f in fields:
        by_key.setdefault(" ".join(words_of(f.slug)), f)
        by_key.setdefault(" ".join(words_of(f.name)), f)
    return _Taxonomy(
        version=version,
        fields=tuple(fields),
        by_slug=by_slug,
        by_key=by_key,
        title_index=_PhraseIndex(title, vetoes),
        org_index=_PhraseIndex(org, vetoes),
    )


@functools.cache
def _load() -> _Taxonomy:
    raw = resources.files("netfolio.data").joinpath("fields.toml").read_bytes()
    return _parse(tomllib.loads(raw.decode("utf-8")))


def taxonomy() -> tuple[Field, ...]:
    """Every shipped field, in the order of the taxonomy file."""
    return _load().fields


def taxonomy_version() -> int:
    """The taxonomy's version: it changes whenever a field is added, renamed or re-described."""
    return _load().version


def _suggest(text: str) -> list[str]:
    """The slugs closest to ``text``: by spelling, then by what its words suggest."""
    tax = _load()
    key = " ".join(words_of(text))
    close = difflib.get_close_matches(key, list(tax.by_key), n=3, cutoff=0.6)
    slugs = [tax.by_key[k].slug for k in close]
    slugs += [i.slug for i in infer_fields(text, None)]
    return list(dict.fromkeys(slugs))[:3]


def _unknown(text: str) -> ValidationError:
    fields = _load().by_slug
    hints = [f"{slug} ({fields[slug].name})" for slug in _suggest(text)]
    msg = f"unknown field {text!r}"
    if hints:
        msg += "; did you mean: " + ", ".join(hints) + "?"
    return ValidationError(msg)


def field_by_slug(slug: str) -> Field:
    """The field with exactly this slug; ``ValidationError`` naming the closest ones if none."""
    found = _load().by_slug.get(slug)
    if found is None:
        raise _unknown(slug)
    return found


def resolve_field(text: str) -> Field:
    """The field a user means by ``text``: its slug or display name, in any case or spacing.

    >>> resolve_field("Data, AI and Analytics").slug
    'data_ai'
    """
    if not text or not text.strip():
        raise ValidationError("a field needs a name or a slug")
    found = _load().by_key.get(" ".join(words_of(text)))
    if found is None:
        raise _unknown(text)
    return found


@functools.lru_cache(maxsize=_CACHE)
def _scan_title(text: str) -> tuple[tuple[tuple[_Entry, int], ...], frozenset[int]]:
    return _load().title_index.scan(words_of(text))


@functools.lru_cache(maxsize=_CACHE)
def _scan_organisation(text: str) -> tuple[tuple[tuple[_Entry, int], ...], frozenset[int]]:
    return _load().org_index.scan(words_of(text))


_NOTHING: tuple[tuple[tuple[_Entry, int], ...], frozenset[int]] = ((), frozenset())


def infer_fields(
    title: str | None, organisation: str | None, *, limit: int = 2
) -> list[Inference]:
    """The fields a title and organisation point at, best first, with their reasons.

    Returns ``[]`` when nothing points anywhere (it never guesses), at most ``limit`` results,
    and a runner-up only when it has at least half the evidence of the best.

    >>> [i.slug for i in infer_fields("Senior Software Engineer", "St Mary's Hospital")]
    ['software']
    """
    if limit < 1:
        raise ValidationError(f"limit must be at least 1, not {limit}")
    title_evidence, title_veto = _scan_title(title) if title else _NOTHING
    org_evidence, org_veto = _scan_organisation(organisation) if organisation else _NOTHING
    if not title_evidence and not org_evidence:
        return []
    vetoed = title_veto | org_veto

    # field -> [score, title score, first position]
    totals: dict[int, list[int]] = {}
    reasons: dict[int, list[str]] = {}
    for evidence, offset in ((title_evidence, 0), (org_evidence, _ORG_OFFSET)):
        for entry, position in evidence:
            if entry.field in vetoed:
                continue
            total = totals.get(entry.field)
            if total is None:
                total = totals[entry.field] = [0, 0, position + offset]
                reasons[entry.field] = []
            total[0] += entry.units
            if entry.from_title:
                total[1] += entry.units
            reasons[entry.field].append(entry.reason)
    if not totals:
        return []

    # Ties go to the field with more title evidence, then to the one named first (people put
    # their role before its context: "SWE @ fintech startup"), then to the slug.
    fields = _load().fields
    ranked = sorted(
        totals.items(),
        key=lambda item: (-item[1][0], -item[1][1], item[1][2], fields[item[0]].slug),
    )
    floor = RUNNER_UP_SHARE * ranked[0][1][0]
    return [
        Inference(fields[i].slug, total[0] / _UNITS, tuple(reasons[i]))
        for i, total in ranked[:limit]
        if total[0] >= floor
    ]


__all__ = [
    "LINKEDIN_ROOTS",
    "Field",
    "Inference",
    "field_by_slug",
    "infer_fields",
    "resolve_field",
    "taxonomy",
    "taxonomy_version",
    "words_of",
]
