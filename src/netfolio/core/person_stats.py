"""Per-person statistics kept at write time: today's measures from one pass over people.

The table ``person_stats`` holds, for every person, the sufficient statistics of the measures
over *all* their interaction rows (one row per interaction and participant):

* ``n_<intent>_<me|them>``: rows per intent and initiator (12 counters). The contact count,
  who started, gives, help received, goodwill and the ask flags are sums of these;
* ``weight_q``: the weighted contacts in 1/1024ths (channel x group x intent weights, see
  :func:`row_weights_q`), exact in any order;
* ``first_day`` / ``last_day``: first and last contact (local day numbers; NULL without);
* ``decayed_1..3``: ``S_h = sum w * 2**(-(last_day - t) / h)`` for each half-life of
  :data:`HALF_LIVES`, brought up to date on ``last_day``; reading at a day ``T`` decays once
  more by ``2**(-(T - last_day) / h)``;
* ``deep``: rows on a two-way channel (:data:`TWO_WAY_CHANNELS`), for relationships;
* ``last_ask_day``, ``last_received_day``, ``last_gave_day``: the latest ask (either side's
  initiative), help received, and give you started.

**The invariant.** Every row whose ``stale`` is false equals :func:`compute_state` over the
person's interaction rows in the database. Database triggers (migration 0009) keep it,
whichever code path writes: a new person gets a fresh row of no contact (no interaction row
can refer to a person before it exists); adding or removing a participant marks every
participant of that interaction stale (the group size changed); editing an interaction's
time, channel, initiator or intent marks its participants. Before a session commits,
:func:`refresh_stale` recomputes the stale rows from their interactions in one vectorised
pass, so after any write (import, log, unlog, edit, delete, merge, split, undo, restore) the
table is exact again in the same transaction; a reader that still finds stale rows (a
writer outside a session) computes those people on the fly, so a read is always exact.

The statistics are exact for a day ``T`` on or after every stored ``last_day`` ("today");
:func:`load_today` answers None otherwise, and past dates use the full recompute over
interactions (:mod:`netfolio.core.snapshot_load`), which stays the reference.

Everything here takes a DB-API connection (sqlite3 or psycopg), so a read path without
SQLAlchemy can call it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from netfolio.core.enums import Channel, Initiator, Intent

if TYPE_CHECKING:
    from netfolio.core.snapshot import Snapshot

# -- the parameters the stored sums depend on (one home: measures.params reads these) --------

#: Weight of one contact per channel code (in person, call, video, message, email, event,
#: social), in units of a one-to-one message (``Params.channel_weights``).
CHANNEL_WEIGHTS: tuple[float, ...] = (2.0, 1.5, 1.5, 1.0, 1.0, 0.5, 0.25)
#: A contact shared by g people counts g**-GROUP_EXPONENT (``Params.group_exponent``).
GROUP_EXPONENT = 1.0
#: Weight of an ask, yours or theirs (``Params.withdrawal_weight``).
WITHDRAWAL_WEIGHT = 0.25
#: Half-lives of the decayed sums, longest first (``Params.rate_half_lives_days``).
HALF_LIVES: tuple[float, ...] = (730.0, 182.0, 61.0)
#: Channels deep enough to make a relationship on their own (``Params.two_way_channels``).
TWO_WAY_CHANNELS: tuple[int, ...] = (
    Channel.IN_PERSON.code, Channel.CALL.code, Channel.VIDEO.code,
)
#: Weights are counted in 1/1024ths, so that they add up exactly in any order.
WEIGHT_SCALE = 1024

N_INTENTS = len(Intent.__members__)
#: The counter columns, in cell order ``intent * 2 + (initiator is me)``.
CELL_COLUMNS: tuple[str, ...] = tuple(
    f"n_{intent.value}_{who}" for intent in Intent for who in ("them", "me")
)
DECAYED_COLUMNS: tuple[str, ...] = tuple(f"decayed_{k + 1}" for k in range(len(HALF_LIVES)))
DAY_COLUMNS: tuple[str, ...] = (
    "first_day", "last_day", "last_ask_day", "last_received_day", "last_gave_day",
)
#: Every statistics column, in the order :func:`load_today` reads them.
COLUMNS: tuple[str, ...] = (
    *CELL_COLUMNS, "weight_q", "deep", *DAY_COLUMNS, *DECAYED_COLUMNS,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def row_weights_q(
    group: NDArray[np.integer], intent: NDArray[np.integer], channel: NDArray[np.integer], *,
    channel_weights: Sequence[float] = CHANNEL_WEIGHTS,
    group_exponent: float = GROUP_EXPONENT,
    withdrawal_weight: float = WITHDRAWAL_WEIGHT,
) -> FloatArray:
    """Each interaction row's weight in 1/1024ths (whole numbers, so sums are exact in any
    order): channel weight x group size ** -exponent x (withdrawal weight for an ask)."""
    g = np.asarray(group, dtype=np.intp)
    sizes = np.arange(int(g.max()) + 1 if len(g) else 1, dtype=np.float64)
    dilution = np.ones_like(sizes)
    dilution[1:] = sizes[1:] ** -group_exponent
    code = np.asarray(intent)
    withdrawal = (code == Intent.ASK.code) | (code == Intent.ASKED_OF_ME.code)
    weight = np.asarray(channel_weights, dtype=np.float64)
    by_intent = np.asarray([1.0, withdrawal_weight])
    table = np.rint(
        by_intent[:, None, None] * dilution[None, :, None] * weight[None, None, :] * WEIGHT_SCALE
    ).ravel()
    channels, groups = len(weight), len(sizes)
    index = (withdrawal.astype(np.intp) * groups + g) * channels
    out: FloatArray = table[index + np.asarray(channel, dtype=np.intp)]
    return out


@dataclass(frozen=True, eq=False)
class PersonState:
    """The kept statistics of P people (rows aligned with a snapshot's people).

    ``cells`` is (P, 12): rows per ``intent * 2 + (initiator is me)``; day arrays are -1
    where there is none; ``decayed`` is (H, P), each sum brought up to date on ``last_day``.
    ``latest_day`` is the latest contact of anyone (-1 none): the state is exact for every
    day on or after it.
    """

    cells: IntArray
    weight_q: IntArray
    deep: IntArray
    first_day: IntArray
    last_day: IntArray
    last_ask_day: IntArray
    last_received_day: IntArray
    last_gave_day: IntArray
    decayed: FloatArray

    @property
    def latest_day(self) -> int:
        return int(self.last_day.max()) if len(self.last_day) else -1

    @property
    def count(self) -> IntArray:
        out: IntArray = self.cells.sum(axis=1)
        return out

    @classmethod
    def empty(cls, p: int) -> PersonState:
        none = np.full(p, -1, dtype=np.int64)
        return cls(
            cells=np.zeros((p, 2 * N_INTENTS), dtype=np.int64),
            weight_q=np.zeros(p, dtype=np.int64), deep=np.zeros(p, dtype=np.int64),
            first_day=none, last_day=none.copy(), last_ask_day=none.copy(),
            last_received_day=none.copy(), last_gave_day=none.copy(),
            decayed=np.zeros((len(HALF_LIVES), p), dtype=np.float64),
        )

    def as_matrix(self) -> FloatArray:
        """(P, len(COLUMNS)) in :data:`COLUMNS` order (days -1 where none)."""
        parts: list[Any] = [
            self.cells, self.weight_q[:, None], self.deep[:, None], self.first_day[:, None],
            self.last_day[:, None], self.last_ask_day[:, None], self.last_received_day[:, None],
            self.last_gave_day[:, None], self.decayed.T,
        ]
        out: FloatArray = np.hstack([np.asarray(x, dtype=np.float64) for x in parts])
        return out

    @classmethod
    def from_matrix(cls, m: FloatArray) -> PersonState:
        """The inverse of :meth:`as_matrix` (NaN days, i.e. NULL, read as -1)."""
        m = np.asarray(m, dtype=np.float64).reshape(-1, len(COLUMNS))
        c = len(CELL_COLUMNS)

        def ints(j: int) -> IntArray:
            col = m[:, j]
            return np.where(np.isnan(col), -1, col).astype(np.int64)

        return cls(
            cells=np.nan_to_num(m[:, :c]).astype(np.int64),
            weight_q=ints(c), deep=ints(c + 1), first_day=ints(c + 2), last_day=ints(c + 3),
            last_ask_day=ints(c + 4), last_received_day=ints(c + 5), last_gave_day=ints(c + 6),
            decayed=np.nan_to_num(m[:, c + 7:]).T.copy(),
        )


def compute_state(
    p: int, person: NDArray[np.integer], day: NDArray[np.integer],
    channel: NDArray[np.integer], initiator: NDArray[np.integer],
    intent: NDArray[np.integer], group: NDArray[np.integer],
) -> PersonState:
    """The statistics of ``p`` people from their interaction rows (``person`` is a row index
    0..p-1; ``group`` the interaction's participant count), in one vectorised pass."""
    person = np.asarray(person, dtype=np.intp)
    day = np.asarray(day, dtype=np.int64)
    intent = np.asarray(intent, dtype=np.int64)
    me = np.asarray(initiator) == Initiator.ME.code
    wq = row_weights_q(group, intent, channel)
    cells = np.bincount(person * (2 * N_INTENTS) + intent * 2 + me,
                        minlength=p * 2 * N_INTENTS).reshape(p, 2 * N_INTENTS)
    weight_q = np.rint(np.bincount(person, weights=wq, minlength=p)).astype(np.int64)
    deep = np.bincount(person[np.isin(channel, TWO_WAY_CHANNELS)], minlength=p)
    far = np.iinfo(np.int64).max
    first = np.full(p, far, dtype=np.int64)
    np.minimum.at(first, person, day)

    def latest(mask: Any) -> IntArray:
        out = np.full(p, -1, dtype=np.int64)
        np.maximum.at(out, person[mask], day[mask])
        return out

    last = latest(slice(None))
    age = (last[person] - day).astype(np.float64)
    weight = wq / WEIGHT_SCALE
    decayed = np.vstack([
        np.bincount(person, weights=weight * np.exp2(-age / h), minlength=p).astype(np.float64)
        for h in HALF_LIVES
    ]) if p else np.zeros((len(HALF_LIVES), 0))
    return PersonState(
        cells=cells.astype(np.int64), weight_q=weight_q, deep=deep.astype(np.int64),
        first_day=np.where(first == far, -1, first), last_day=last,
        last_ask_day=latest(intent == Intent.ASK.code),
        last_received_day=latest(intent == Intent.RECEIVED.code),
        last_gave_day=latest((intent == Intent.GIVE.code) & me),
        decayed=decayed,
    )


# -- the database side ------------------------------------------------------------------------

_GROUP = "(SELECT count(*) FROM interaction_person g WHERE g.interaction_id = i.id)"
_ROWS = (
    "SELECT ip.person_id, i.at + i.utc_offset * 60, i.channel, i.initiator, i.intent, "
    f"{_GROUP} FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id "
    "WHERE ip.person_id IN (SELECT person_id FROM person_stats WHERE stale = {true})"
)
_STALE = "SELECT person_id FROM person_stats WHERE stale = {true} ORDER BY person_id"
#: Every interaction row, for a refresh of many people at once (one scan instead of an index
#: lookup per row); the group sizes are counted from the rows themselves.
_ALL_ROWS = (
    "SELECT ip.person_id, i.at + i.utc_offset * 60, i.channel, i.initiator, i.intent, i.id "
    "FROM interaction_person ip JOIN interaction i ON i.id = ip.interaction_id"
)
#: Stale rows of people without any interaction row: reset to no contact in one statement.
_RESET_EMPTY = (
    "UPDATE person_stats SET "
    + ", ".join(f"{c} = NULL" if c in DAY_COLUMNS else f"{c} = 0" for c in COLUMNS)
    + ", stale = NOT {true} WHERE stale = {true} AND NOT EXISTS "
    "(SELECT 1 FROM interaction_person ip WHERE ip.person_id = person_stats.person_id)"
)
#: Past this share of people stale, a refresh scans every interaction row once.
SCAN_SHARE = 0.05
#: Up to this many people are always refreshed by index lookups (a log, an edit).
_FEW = 64


def _is_sqlite(conn: Any) -> bool:
    return type(conn).__module__.startswith("sqlite3")


def _true(conn: Any) -> str:
    return "1" if _is_sqlite(conn) else "true"


def _fetch_ints(conn: Any, sql: str, width: int) -> IntArray:
    cur = conn.cursor()
    try:
        cur.execute(sql)
        rows = cur.fetchall()
    finally:
        cur.close()
    if not rows:
        return np.zeros((0, width), dtype=np.int64)
    return np.asarray(rows, dtype=np.int64).reshape(-1, width)


def stale_state(conn: Any) -> tuple[IntArray, PersonState]:
    """The ids of the people whose rows are stale (ascending) and their state, computed from
    their interactions."""
    t = _true(conn)
    ids = _fetch_ints(conn, _STALE.format(true=t), 1)[:, 0]
    if len(ids) == 0:
        return ids, PersonState.empty(0)
    if len(ids) > _FEW and len(ids) > SCAN_SHARE * int(
            _fetch_ints(conn, "SELECT count(*) FROM person_stats", 1)[0, 0]):
        rows = _scan_rows(conn, ids)
    else:
        rows = _fetch_ints(conn, _ROWS.format(true=t), 6)
    return ids, _state_of_rows(ids, rows)


def _scan_rows(conn: Any, ids: IntArray) -> IntArray:
    """The rows of the people ``ids`` (as :data:`_ROWS` gives them) from one scan of every
    interaction row, with each interaction's participant count."""
    from netfolio.core.snapshot_columns import int_matrix

    rows = int_matrix(conn, _ALL_ROWS, 6)
    _, inverse, counts = np.unique(rows[:, 5], return_inverse=True, return_counts=True)
    rows[:, 5] = counts[inverse]
    at = np.minimum(np.searchsorted(ids, rows[:, 0]), max(len(ids) - 1, 0))
    keep = ids[at] == rows[:, 0] if len(ids) else np.zeros(len(rows), dtype=bool)
    out: IntArray = rows[keep]
    return out


def _state_of_rows(ids: IntArray, rows: IntArray) -> PersonState:
    person = np.searchsorted(ids, rows[:, 0])
    return compute_state(len(ids), person, rows[:, 1] // 86_400, rows[:, 2], rows[:, 3],
                         rows[:, 4], rows[:, 5])


def refresh_stale(conn: Any) -> int:
    """Recompute every stale row from its interactions and mark it fresh (in the caller's
    transaction); returns how many rows were refreshed.

    Stale people without any interaction (new people: an import of connections) are reset
    in one statement; the others are computed in one vectorised pass and written back.
    """
    t = _true(conn)
    cur = conn.cursor()
    try:
        cur.execute(_RESET_EMPTY.format(true=t))
        empty = max(int(cur.rowcount), 0)
    finally:
        cur.close()
    ids, state = stale_state(conn)
    if len(ids) == 0:
        return empty
    m = state.as_matrix()
    ph = "?" if _is_sqlite(conn) else "%s"
    sets = ", ".join(f"{c} = {ph}" for c in COLUMNS)
    sql = f"UPDATE person_stats SET {sets}, stale = {ph} WHERE person_id = {ph}"
    columns: list[list[Any]] = []
    for j, name in enumerate(COLUMNS):
        if name in DECAYED_COLUMNS:
            columns.append(m[:, j].tolist())
        elif name in DAY_COLUMNS:
            columns.append([None if v < 0 else v for v in m[:, j].astype(np.int64).tolist()])
        else:
            columns.append(m[:, j].astype(np.int64).tolist())
    values = list(zip(*columns, [False] * len(ids), ids.tolist(), strict=True))
    cur = conn.cursor()
    try:
        cur.executemany(sql, values)
    finally:
        cur.close()
    return empty + len(ids)


def mark_all_stale(conn: Any) -> None:
    """Give every person a stale row (a restore, a migration, a bulk copy: the next refresh
    recomputes everyone)."""
    t = _true(conn)
    cur = conn.cursor()
    try:
        cur.execute(f"UPDATE person_stats SET stale = {t}")
        cur.execute("INSERT INTO person_stats (person_id, owner_id, stale) "
                    f"SELECT p.id, p.owner_id, {t} FROM person p WHERE NOT EXISTS "
                    "(SELECT 1 FROM person_stats s WHERE s.person_id = p.id)")
    finally:
        cur.close()


_READ = ("SELECT person_id, CAST(stale AS INTEGER), "
         + ", ".join(f"COALESCE({c}, -1)" if c in DAY_COLUMNS else c for c in COLUMNS)
         + " FROM person_stats ORDER BY person_id")


def read_state(conn: Any, person_id: IntArray) -> PersonState:
    """The state of the people ``person_id`` (ascending), from the table; stale rows (and
    people without a row) are computed from their interactions, so the answer is exact."""
    cur = conn.cursor()
    try:
        cur.execute(_READ)
        flat = np.fromiter(itertools.chain.from_iterable(cur), dtype=np.float64)
    finally:
        cur.close()
    p = len(person_id)
    m = flat.reshape(-1, 2 + len(COLUMNS))
    ids = m[:, 0].astype(np.int64)
    stale = np.nan_to_num(m[:, 1]) != 0
    full = np.full((p, len(COLUMNS)), np.nan)
    full[:, : len(CELL_COLUMNS) + 2] = 0
    full[:, len(COLUMNS) - len(DECAYED_COLUMNS):] = 0
    at = np.searchsorted(person_id, ids)
    ok = (at < p) & ~stale
    ok[ok] = person_id[at[ok]] == ids[ok]
    full[at[ok]] = m[ok, 2:]
    missing = np.ones(p, dtype=bool)
    missing[at[ok]] = False
    if missing.any():
        stale_ids, computed = _compute_for(conn, person_id[missing])
        full[np.searchsorted(person_id, stale_ids)] = computed.as_matrix()
    return PersonState.from_matrix(full)


def _compute_for(conn: Any, ids: IntArray) -> tuple[IntArray, PersonState]:
    """The state of the people ``ids`` (ascending) from their interactions (not stored)."""
    if len(ids) > _FEW and len(ids) > SCAN_SHARE * int(
            _fetch_ints(conn, "SELECT count(*) FROM person", 1)[0, 0]):
        return ids, _state_of_rows(ids, _scan_rows(conn, ids))
    rows_all = []
    for start in range(0, len(ids), 500):
        chunk = ",".join(str(int(x)) for x in ids[start:start + 500])
        sql = _ROWS.replace(
            "(SELECT person_id FROM person_stats WHERE stale = {true})", f"({chunk})")
        rows_all.append(_fetch_ints(conn, sql, 6))
    rows = np.vstack(rows_all) if rows_all else np.zeros((0, 6), dtype=np.int64)
    return ids, _state_of_rows(ids, rows)


def own_fields(conn: Any) -> list[str]:
    """The user's own field slugs (the ``own_fields`` setting), read without the ORM."""
    cur = conn.cursor()
    try:
        cur.execute("SELECT value FROM setting WHERE key = 'own_fields'")
        row = cur.fetchone()
    finally:
        cur.close()
    if row is None or row[0] is None:
        return []
    value = json.loads(row[0]) if isinstance(row[0], (str, bytes)) else row[0]
    return [str(s) for s in value]


def decayed_at(state: PersonState, day: int) -> tuple[FloatArray, ...]:
    """Each decayed sum read at ``day`` (on or after every ``last_day``)."""
    age = np.where(state.last_day >= 0, day - state.last_day, 0).astype(np.float64)
    return tuple(state.decayed[k] * np.exp2(-age / h) for k, h in enumerate(HALF_LIVES))


def same_spec(channel_weights: Sequence[float], group_exponent: float,
              withdrawal_weight: float, half_lives: Sequence[float],
              two_way_channels: Sequence[int]) -> bool:
    """Whether parameters match the ones the stored sums were computed with."""
    return (tuple(channel_weights) == CHANNEL_WEIGHTS and group_exponent == GROUP_EXPONENT
            and withdrawal_weight == WITHDRAWAL_WEIGHT and tuple(half_lives) == HALF_LIVES
            and tuple(two_way_channels) == TWO_WAY_CHANNELS)


__all__ = [
    "CHANNEL_WEIGHTS", "COLUMNS", "GROUP_EXPONENT", "HALF_LIVES", "TWO_WAY_CHANNELS",
    "WEIGHT_SCALE", "WITHDRAWAL_WEIGHT", "PersonState", "compute_state", "decayed_at",
    "load_today", "mark_all_stale", "own_fields", "read_state", "refresh_after_bulk",
    "refresh_stale", "row_weights_q",
    "same_spec", "stale_state",
]


def load_today(conn: Any, as_of_day: int) -> Snapshot | None:
    """Today's snapshot from the kept statistics: people, fields, asks, edges and each
    person's :class:`PersonState`, without reading the interaction rows (``conn``: a DB-API
    connection, in a transaction that sees one ledger version).

    None when the statistics cannot answer for ``as_of_day`` (some contact is later than it:
    a past date); the caller then loads the full snapshot.
    """
    from netfolio.core.snapshot import Snapshot
    from netfolio.core.snapshot_columns import load_other_columns

    other = load_other_columns(conn, own_fields(conn))
    state = read_state(conn, other.person_id)
    if as_of_day < state.latest_day:
        return None
    empty: Any = np.zeros(0, dtype=np.int64)
    return Snapshot(
        **other.columns, ix_person=empty, ix_at=empty, ix_day=empty, ix_channel=empty,
        ix_initiator=empty, ix_intent=empty, ix_id=empty, state=state,
    )


def refresh_after_bulk(conn: Any) -> int:
    """After a bulk write outside a session (the demo, a restore): recompute the stale rows
    and refresh the planner statistics, in the caller's transaction."""
    from netfolio.core.planner_stats import analyze

    mark_all_stale(conn)  # a bulk copy may have written links before their people
    n = refresh_stale(conn)
    analyze(conn)
    return n
