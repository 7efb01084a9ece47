"""The demo's words (names, organisations, titles, cities, phone ranges, phrases), read from
``netfolio/data/demo_names.toml`` and checked against the taxonomy."""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from netfolio.core.taxonomy import field_by_slug, infer_fields, taxonomy

_ASCII = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "ß": "ss", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i"}
)



@dataclass(frozen=True)
class City:
    name: str
    country: str
    utc_offset: int
    dst: str
    phone: str
    weight: float


@dataclass(frozen=True)
class Vocabulary:
    given: tuple[tuple[str, ...], ...]  # by culture
    family: tuple[tuple[str, ...], ...]
    culture_weights: NDArray[np.float64]
    cities: tuple[City, ...]
    org_cities: tuple[str, ...]  # cities whose names say no field
    org_families: tuple[str, ...]
    words: tuple[str, ...]
    neutral: tuple[str, ...]
    organisations: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[tuple[str, ...], NDArray[np.float64]]]
    generic_titles: tuple[str, ...]
    phone_pools: dict[str, tuple[tuple[str, int, str], ...]]
    phrases: dict[str, tuple[str, ...]]


def top_field(title: str | None, organisation: str | None) -> str | None:
    found = infer_fields(title, organisation)
    return found[0].slug if found else None


@functools.cache
def load_vocabulary() -> Vocabulary:
    """The demo's words, checked against the taxonomy: what would read as another field goes."""
    raw = tomllib.loads(
        resources.files("netfolio.data").joinpath("demo_names.toml").read_text("utf-8")
    )
    silent = lambda text: not infer_fields(text, None) and not infer_fields(None, text)  # noqa: E731
    cultures = raw["culture"]
    cities = tuple(City(**c) for c in raw["city"])
    families = tuple(f for c in cultures for f in c["family"])
    words = tuple(w for w in raw["organisations"]["words"] if silent(w))
    org_cities = tuple(c.name for c in cities if silent(c.name))
    org_families = tuple(f for f in families if silent(f))

    slugs = [f.slug for f in taxonomy()]
    organisations: dict[str, tuple[str, ...]] = {}
    titles: dict[str, tuple[tuple[str, ...], NDArray[np.float64]]] = {}
    seniority = [(str(p), float(w)) for p, w in raw["titles"]["seniority"]]
    senior_ok = set(raw["titles"]["senior_ok"])
    for slug in slugs:
        patterns = tuple(raw["organisations"]["field"].get(slug, ())) or tuple(
            raw["organisations"]["neutral"]
        )
        organisations[slug] = patterns
        names: list[str] = []
        weights: list[float] = []
        for rank, base in enumerate(raw["titles"]["field"].get(slug, ())):
            if top_field(base, None) != slug:
                continue
            weight = 1.0 / (rank + 1) ** 0.5
            names.append(base)
            weights.append(weight)
            if base.split()[-1] in senior_ok and base.split()[0] not in dict(seniority):
                for prefix, share in seniority:
                    variant = f"{prefix} {base}"
                    if top_field(variant, None) == slug:
                        names.append(variant)
                        weights.append(weight * share)
        if not names:  # a field the vocabulary does not know yet: use its own keywords
            names = [k.title() for k in field_by_slug(slug).keywords[:8]]
            weights = [1.0] * len(names)
        w = np.array(weights)
        titles[slug] = (tuple(names), w / w.sum())
    generic = tuple(t for t in raw["titles"]["generic"] if not infer_fields(t, None))
    phones = raw["phones"]
    pools = {
        "nanp": tuple((f"+1{ac}55501", 2, f"+1 ({ac}) 555-01") for ac in phones["nanp_area_codes"]),
        "gb": tuple((p, int(n), r) for p, n, r in phones["gb"]),
        "au": tuple((p, int(n), r) for p, n, r in phones["au"]),
    }
    culture_weights = np.array([float(c["weight"]) for c in cultures])
    return Vocabulary(
        given=tuple(tuple(c["given"]) for c in cultures),
        family=tuple(tuple(c["family"]) for c in cultures),
        culture_weights=culture_weights / culture_weights.sum(),
        cities=cities,
        org_cities=org_cities,
        org_families=org_families,
        words=words,
        neutral=tuple(raw["organisations"]["neutral"]),
        organisations=organisations,
        titles=titles,
        generic_titles=generic,
        phone_pools=pools,
        phrases={k: tuple(v) for k, v in raw["phrases"].items()},
    )


@functools.lru_cache(maxsize=1 << 16)
def ascii_slug(text: str, sep: str = "") -> str:
    """Fold a name to lower-case ASCII letters and digits for addresses and URLs.

    >>> ascii_slug("Łukasz Nguyễn-O'Brien", "-")
    'lukasz-nguyen-obrien'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    parts = "".join(c if c.isascii() and c.isalnum() else " " for c in plain.replace("'", ""))
    return sep.join(parts.split())


def zipf(n: int, s: float = 1.0) -> NDArray[np.float64]:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def pick_one(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


