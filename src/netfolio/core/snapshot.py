"""A column snapshot of one network: the contract between the database loader and the measures.

The loader (``load_snapshot(session)``, elsewhere) fills these arrays with one query per table;
the measures in :mod:`netfolio.measures` read nothing else. Rows are people, and every other
table refers to a person by its *row index* (not its id), so the measures can aggregate with
``np.bincount`` and friends. Days are whole days since 1970-01-01 (``ix_day`` is the user's local
calendar day); times are epoch seconds UTC.

:meth:`Snapshot.from_records` builds one from plain dicts, for tests, the demo and scripts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import (
    TIERS,
    AskDirection,
    AskStatus,
    Channel,
    Initiator,
    Intent,
    _Coded,
)
from netfolio.errors import PersonNotFound, ValidationError

if TYPE_CHECKING:
    from netfolio.core.person_stats import PersonState

_EPOCH = date(1970, 1, 1)
_SECONDS_PER_DAY = 86_400

#: Anything that names a day: a date, a datetime (its own calendar date) or a day number.
AsOf = date | datetime | int | np.integer


def day_number(when: AsOf) -> int:
    """Whole days since 1970-01-01 for a date, a datetime (its calendar date) or a day number."""
    if isinstance(when, datetime):
        return (when.date() - _EPOCH).days
    if isinstance(when, date):
        return (when - _EPOCH).days
    if isinstance(when, (int, np.integer)):
        return int(when)
    raise ValidationError(f"not a date or day number: {when!r}")


def day_to_date(day: int) -> date:
    """The calendar date of a day number (inverse of :func:`day_number`)."""
    return date.fromordinal(_EPOCH.toordinal() + int(day))


def month_ends(first_day: int, last_day: int) -> NDArray[np.int32]:
    """The last day of every month from ``first_day``'s month up to ``last_day``, ending on it.

    The final point is ``last_day`` itself (a month-end only if it happens to be one), so a
    series evaluated on these days ends exactly at the as-of date.
    """
    if last_day < first_day:
        return np.array([last_day], dtype=np.int32)
    m0 = np.datetime64(int(first_day), "D").astype("datetime64[M]")
    m1 = np.datetime64(int(last_day), "D").astype("datetime64[M]")
    months = np.arange(m0, m1 + 1)
    ends = ((months + 1).astype("datetime64[D]") - 1).astype(np.int64)
    ends[-1] = last_day
    return ends.astype(np.int32)


def week_start(day: NDArray[np.integer] | int) -> Any:
    """The Monday starting the ISO week that contains each day (1970-01-01 was a Thursday)."""
    return (np.asarray(day, dtype=np.int64) + 3) // 7 * 7 - 3


# name -> (dtype, group). Arrays in one group share a length.
_COLUMNS: dict[str, tuple[type, str]] = {
    "person_id": (np.int64, "people"),
    "tier_override": (np.int16, "people"),
    "closeness": (np.int8, "people"),
    "connected_day": (np.int32, "people"),
    "pf_person": (np.int32, "person_fields"),
    "pf_field": (np.int32, "person_fields"),
    "ix_person": (np.int32, "interactions"),
    "ix_at": (np.int64, "interactions"),
    "ix_day": (np.int32, "interactions"),
    "ix_channel": (np.int8, "interactions"),
    "ix_initiator": (np.int8, "interactions"),
    "ix_intent": (np.int8, "interactions"),
    "ix_id": (np.int64, "interactions"),
    "ask_person": (np.int32, "asks"),
    "ask_direction": (np.int8, "asks"),
    "ask_status": (np.int8, "asks"),
    "ask_day": (np.int32, "asks"),
    "edge_a": (np.int32, "edges"),
    "edge_b": (np.int32, "edges"),
}


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The network as columns, at no particular date (measures take ``as_of`` separately).

    People (length P, one row per person, ``person_id`` ascending): ``tier_override`` is 0 or
    one of ``TIERS``; ``closeness`` 0 (unset) or 1..5; ``connected_day`` the day the connection
    was made (-1 unknown); ``name``, ``organisation``, ``title`` are display strings ('' unknown).

    Fields: ``field_slugs`` names every known field; each (``pf_person``, ``pf_field``) pair puts
    person row ``pf_person`` in field index ``pf_field`` (a person may have several);
    ``own_fields`` are the user's own slugs.

    Interactions, one row per (interaction, participant), sorted by ``ix_at``: ``ix_person`` a
    person row, ``ix_at`` epoch seconds, ``ix_day`` local day number, channel / initiator /
    intent as enum codes, ``ix_id`` the interaction id (a group meeting repeats it).

    Asks: person row, direction, status (codes) and day. Knows edges: pairs of person rows.

    State: ``state`` is None for a full snapshot (every interaction row loaded). A snapshot
    loaded from the statistics kept per person (:func:`netfolio.core.person_stats.load_today`)
    has ``state`` set and no interaction rows: the measures of a day on or after
    ``state.latest_day`` read the state; anything that needs the rows themselves (history,
    past dates) raises rather than answer from missing rows (:meth:`require_rows`).

    Arrays are read-only views; build a new snapshot to change anything.
    """

    person_id: NDArray[np.int64]
    tier_override: NDArray[np.int16]
    closeness: NDArray[np.int8]
    connected_day: NDArray[np.int32]
    name: tuple[str, ...]
    organisation: tuple[str, ...]
    title: tuple[str, ...]
    field_slugs: tuple[str, ...]
    pf_person: NDArray[np.int32]
    pf_field: NDArray[np.int32]
    own_fields: tuple[str, ...]
    ix_person: NDArray[np.int32]
    ix_at: NDArray[np.int64]
    ix_day: NDArray[np.int32]
    ix_channel: NDArray[np.int8]
    ix_initiator: NDArray[np.int8]
    ix_intent: NDArray[np.int8]
    ix_id: NDArray[np.int64]
    ask_person: NDArray[np.int32]
    ask_direction: NDArray[np.int8]
    ask_status: NDArray[np.int8]
    ask_day: NDArray[np.int32]
    edge_a: NDArray[np.int32]
    edge_b: NDArray[np.int32]
    state: PersonState | None = field(default=None)

    def __post_init__(self) -> None:
        """Coerce dtypes (free when already right), freeze arrays, check lengths and indices."""
        lengths: dict[str, tuple[str, int]] = {}
        for name, (dtype, group) in _COLUMNS.items():
            arr: NDArray[Any] = np.asarray(getattr(self, name), dtype=dtype)
            if arr.ndim != 1:
                raise ValidationError(f"snapshot column {name} must be 1-D, not {arr.shape}")
            arr = arr.view()
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)
            first = lengths.setdefault(group, (name, len(arr)))
            if first[1] != len(arr):
                raise ValidationError(
                    f"snapshot columns {first[0]} and {name} differ in length "
                    f"({first[1]} != {len(arr)})"
                )
        for name in ("name", "organisation", "title", "field_slugs", "own_fields"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        p = len(self.person_id)
        for name in ("name", "organisation", "title"):
            if len(getattr(self, name)) != p:
                raise ValidationError(f"snapshot column {name} must have one entry per person")
        if p > 1 and np.any(self.person_id[1:] <= self.person_id[:-1]):
            raise ValidationError("snapshot person_id must be strictly ascending")
        for name in ("ix_person", "pf_person", "ask_person", "edge_a", "edge_b"):
            _check_index(name, getattr(self, name), p)
        _check_index("pf_field", self.pf_field, len(self.field_slugs))
        if len(self.ix_at) > 1 and np.any(self.ix_at[1:] < self.ix_at[:-1]):
            raise ValidationError("snapshot interactions must be sorted by ix_at")
        bad = ~np.isin(self.tier_override, (0, *TIERS))
        if bad.any():
            raise ValidationError(f"tier_override must be 0 or one of {TIERS}")
        if np.any((self.closeness < 0) | (self.closeness > 5)):
            raise ValidationError("closeness must be 0 (unset) or 1..5")
        if self.state is not None and len(self.state.last_day) != p:
            raise ValidationError("snapshot state must have one entry per person")

    def state_for(self, day: int) -> PersonState | None:
        """The kept statistics if they answer for ``day`` (None: compute from the rows)."""
        if self.state is not None and day >= self.state.latest_day:
            return self.state
        self.require_rows(f"measures on {day_to_date(day)}")
        return None

    def require_rows(self, what: str) -> None:
        """Raise unless every interaction row is loaded (``what`` needs them)."""
        if self.state is not None:
            raise ValidationError(
                f"{what} need every interaction row: load the full snapshot for them")

    # -- sizes and lookups ------------------------------------------------------------------

    @property
    def n_people(self) -> int:
        return len(self.person_id)

    @property
    def n_rows(self) -> int:
        """Interaction rows (one per interaction and participant)."""
        return len(self.ix_person)

    def row_of(self, person_id: int) -> int:
        """The row of a person id; raises :class:`PersonNotFound` when absent."""
        i = int(np.searchsorted(self.person_id, person_id))
        if i < self.n_people and self.person_id[i] == person_id:
            return i
        raise PersonNotFound(f"#{person_id}")

    def fields_of(self, row: int) -> tuple[str, ...]:
        """The field slugs of the person in ``row``."""
        return tuple(self.field_slugs[int(f)] for f in self.pf_field[self.pf_person == row])

    @cached_property
    def fields_per_person(self) -> NDArray[np.int64]:
        """How many fields each person has (0 when none is known)."""
        return np.bincount(self.pf_person, minlength=self.n_people)

    @cached_property
    def own_field_mask(self) -> NDArray[np.bool_]:
        """For each field index, whether it is one of the user's own fields."""
        own = set(self.own_fields)
        return np.array([s in own for s in self.field_slugs], dtype=bool)

    @cached_property
    def group_size(self) -> NDArray[np.int32]:
        """For each interaction row, how many people took part in that interaction."""
        ids = self.ix_id
        if len(ids) == 0:
            return np.zeros(0, dtype=np.int32)
        lo = int(ids.min())
        span = int(ids.max()) - lo + 1
        if lo >= 0 and span <= 4 * len(ids) + 1024:  # dense ids: one bincount, no sort
            counts = np.bincount(ids - lo, minlength=span)
            return counts[ids - lo].astype(np.int32)
        _, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        return counts[inverse].astype(np.int32)

    @cached_property
    def days_sorted(self) -> bool:
        """Whether ``ix_day`` is non-decreasing (true unless the user changed time zones)."""
        d = self.ix_day
        return bool(len(d) < 2 or np.all(d[1:] >= d[:-1]))

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def empty(cls) -> Snapshot:
        """A snapshot with no people, fields or interactions."""
        cols: dict[str, Any] = {n: np.zeros(0, dtype=d) for n, (d, _) in _COLUMNS.items()}
        strs: dict[str, Any] = {
            n: () for n in ("name", "organisation", "title", "field_slugs", "own_fields")
        }
        return cls(**cols, **strs)

    @classmethod
    def from_records(
        cls,
        *,
        people: Iterable[Mapping[str, Any]] = (),
        interactions: Iterable[Mapping[str, Any]] = (),
        asks: Iterable[Mapping[str, Any]] = (),
        edges: Iterable[Sequence[int] | Mapping[str, int]] = (),
        own_fields: Iterable[str] = (),
        field_slugs: Iterable[str] = (),
    ) -> Snapshot:
        """Build a snapshot from plain records, sorting as the contract requires.

        ``people``: dicts with ``id`` and optionally ``name``, ``organisation``, ``title``,
        ``fields`` (slugs), ``tier`` (one of TIERS), ``closeness`` (1..5), ``connected``
        (date or day number). ``interactions``: dicts with ``people`` (ids) or ``person``
        (one id), ``at`` (datetime, date or epoch seconds), optional ``day`` (date or day
        number; by default the calendar date of ``at``), ``channel`` (default message),
        ``initiator`` (default me), ``intent`` (default catch_up) as enum members, words or
        codes, and optional ``id``. ``asks``: ``person``, ``direction`` (default mine),
        ``status`` (default open), ``day`` or ``at``. ``edges``: ``(id_a, id_b)`` pairs or
        dicts with ``a`` and ``b``. ``field_slugs`` adds fields nobody has yet (a taxonomy).

        Example::

            Snapshot.from_records(
                people=[{"id": 1, "name": "Ada", "fields": ["software"]}],
                interactions=[{"person": 1, "at": date(2024, 5, 1), "channel": "call"}],
                own_fields=["software"],
            )
        """
        plist = sorted(people, key=lambda r: int(r["id"]))
        ids = [int(r["id"]) for r in plist]
        if len(set(ids)) != len(ids):
            raise ValidationError("person ids must be unique")
        row = {pid: i for i, pid in enumerate(ids)}

        def row_of(pid: Any) -> int:
            try:
                return row[int(pid)]
            except KeyError:
                raise PersonNotFound(f"#{pid}") from None

        own = tuple(dict.fromkeys(own_fields))
        slugs: dict[str, int] = {}
        for s in (*field_slugs, *own):
            slugs.setdefault(s, len(slugs))
        pf_p: list[int] = []
        pf_f: list[int] = []
        for i, r in enumerate(plist):
            for s in dict.fromkeys(r.get("fields") or ()):
                pf_p.append(i)
                pf_f.append(slugs.setdefault(s, len(slugs)))

        ilist = list(interactions)
        ix: list[tuple[int, ...]] = []  # at, id, person row, day, channel, initiator, intent
        next_id = 1 + max((int(r["id"]) for r in ilist if "id" in r), default=0)
        for r in ilist:
            if "id" in r:
                iid = int(r["id"])
            else:
                iid, next_id = next_id, next_id + 1
            at, day = _at_and_day(r.get("at"), r.get("day"))
            who = r["people"] if "people" in r else [r["person"]]
            codes = (
                _code(Channel, r.get("channel", Channel.MESSAGE)),
                _code(Initiator, r.get("initiator", Initiator.ME)),
                _code(Intent, r.get("intent", Intent.CATCH_UP)),
            )
            for pid in dict.fromkeys(int(x) for x in who):
                ix.append((at, iid, row_of(pid), day, *codes))
        ix.sort()
        ixa = np.array(ix, dtype=np.int64).reshape(-1, 7)

        ask_rows = []
        for r in asks:
            _, day = _at_and_day(r.get("at", r.get("day")), r.get("day"))
            ask_rows.append(
                (
                    row_of(r["person"]),
                    _code(AskDirection, r.get("direction", AskDirection.MINE)),
                    _code(AskStatus, r.get("status", AskStatus.OPEN)),
                    day,
                )
            )
        aska = np.array(ask_rows, dtype=np.int64).reshape(-1, 4)

        edge_rows = []
        for e in edges:
            a, b = (e["a"], e["b"]) if isinstance(e, Mapping) else e
            edge_rows.append((row_of(a), row_of(b)))
        ea = np.array(edge_rows, dtype=np.int64).reshape(-1, 2)

        def opt_int(value: Any, default: int = 0) -> int:
            return default if value is None else int(value)

        return cls(
            person_id=np.array(ids, dtype=np.int64),
            tier_override=np.array([opt_int(r.get("tier")) for r in plist], dtype=np.int16),
            closeness=np.array([opt_int(r.get("closeness")) for r in plist], dtype=np.int8),
            connected_day=np.array(
                [-1 if r.get("connected") is None else day_number(r["connected"]) for r in plist],
                dtype=np.int32,
            ),
            name=tuple(str(r.get("name") or "") for r in plist),
            organisation=tuple(str(r.get("organisation") or "") for r in plist),
            title=tuple(str(r.get("title") or "") for r in plist),
            field_slugs=tuple(slugs),
            pf_person=np.array(pf_p, dtype=np.int32),
            pf_field=np.array(pf_f, dtype=np.int32),
            own_fields=own,
            ix_person=ixa[:, 2].astype(np.int32),
            ix_at=ixa[:, 0].astype(np.int64),
            ix_day=ixa[:, 3].astype(np.int32),
            ix_channel=ixa[:, 4].astype(np.int8),
            ix_initiator=ixa[:, 5].astype(np.int8),
            ix_intent=ixa[:, 6].astype(np.int8),
            ix_id=ixa[:, 1].astype(np.int64),
            ask_person=aska[:, 0].astype(np.int32),
            ask_direction=aska[:, 1].astype(np.int8),
            ask_status=aska[:, 2].astype(np.int8),
            ask_day=aska[:, 3].astype(np.int32),
            edge_a=ea[:, 0].astype(np.int32),
            edge_b=ea[:, 1].astype(np.int32),
        )


def _check_index(name: str, arr: NDArray[np.integer], size: int) -> None:
    if len(arr) and (int(arr.min()) < 0 or int(arr.max()) >= size):
        raise ValidationError(f"snapshot column {name} has an index outside 0..{size - 1}")


def _code(enum: type[_Coded], value: Any) -> int:
    if isinstance(value, enum):
        return value.code
    if isinstance(value, (int, np.integer)):
        n = int(value)
        if not 0 <= n < len(enum.__members__):
            raise ValidationError(f"{n} is not a {enum.__name__} code")
        return n
    try:
        return enum.parse(str(value)).code
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def _at_and_day(at: Any, day: Any) -> tuple[int, int]:
    """Epoch seconds and local day number for a record's ``at`` (and optional ``day``)."""
    if isinstance(at, datetime):
        aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        seconds = int(aware.timestamp())
        local = day_number(at)
    elif isinstance(at, date):
        local = day_number(at)
        seconds = local * _SECONDS_PER_DAY
    elif isinstance(at, (int, np.integer)):
        seconds = int(at)
        local = seconds // _SECONDS_PER_DAY
    elif at is None and day is not None:
        local = day_number(day)
        seconds = local * _SECONDS_PER_DAY
    else:
        raise ValidationError(f"a record needs 'at' (datetime, date or epoch seconds), got {at!r}")
    if day is not None:
        local = day_number(day)
    return seconds, local


__all__ = ["AsOf", "Snapshot", "day_number", "day_to_date", "month_ends", "week_start"]
