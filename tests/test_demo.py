"""The demo network: deterministic, realistic in the ways the product relies on, and written
whole (or not at all) into an empty ledger."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from netfolio import demo as demo_module
from netfolio.core.db import open_database
from netfolio.core.enums import AskDirection, Channel, EdgeSource, Initiator, Intent
from netfolio.core.identity import fold_name
from netfolio.core.taxonomy import infer_fields, taxonomy
from netfolio.demo import DemoNetwork, build, generate, write
from netfolio.errors import ValidationError

TODAY = dt.date(2026, 1, 15)
TODAY_EPOCH = int(dt.datetime.combine(TODAY, dt.time(0), tzinfo=dt.UTC).timestamp())
DAY = 86_400
ASK, ASKED_OF_ME = Intent.ASK.code, Intent.ASKED_OF_ME.code
ME, THEM = Initiator.ME.code, Initiator.THEM.code

TABLES = (
    "person", "person_email", "person_phone", "person_field", "person_tag", "ask",
    "interaction", "interaction_person", "introduction", "knows",
)


@pytest.fixture(scope="module")
def net() -> DemoNetwork:
    return generate(people=1000, years=6, seed=7, today=TODAY)


def per_person(net: DemoNetwork) -> dict[str, np.ndarray]:
    """For each person (index = id - 1): interactions, asks by me, asks of me, started by me,
    and the time of the last interaction (0 if none)."""
    n = len(net.people)
    iid, pid = net.participants[:, 0], net.participants[:, 1]
    row = iid - 1
    intent = net.interactions["intent"][row]
    initiator = net.interactions["initiator"][row]
    at = net.interactions["at"][row]
    last = np.zeros(n + 1, np.int64)
    np.maximum.at(last, pid, at)
    return {
        "count": np.bincount(pid, minlength=n + 1)[1:],
        "asks": np.bincount(pid, weights=(intent == ASK) & (initiator == ME), minlength=n + 1)[1:],
        "asked": np.bincount(pid, weights=intent == ASKED_OF_ME, minlength=n + 1)[1:],
        "last": last[1:],
    }


# --- determinism --------------------------------------------------------------------------


def assert_same(a: DemoNetwork, b: DemoNetwork) -> None:
    assert a.people == b.people
    assert a.emails == b.emails and a.phones == b.phones
    assert a.person_fields == b.person_fields and a.tags == b.tags
    assert a.asks == b.asks and a.introductions == b.introductions
    for key in demo_module.INTERACTION_COLUMNS:
        assert a.interactions[key].tolist() == b.interactions[key].tolist(), key
    assert np.array_equal(a.participants, b.participants)
    assert np.array_equal(a.knows, b.knows)
    assert a.me == b.me and a.highlights == b.highlights


def test_same_seed_same_rows() -> None:
    a = generate(people=300, seed=11, today=TODAY)
    assert_same(a, generate(people=300, seed=11, today=TODAY))


def test_different_seed_different_rows() -> None:
    a = generate(people=300, seed=11, today=TODAY)
    b = generate(people=300, seed=12, today=TODAY)
    assert [r[1] for r in a.people] != [r[1] for r in b.people]
    assert a.interaction_count != b.interaction_count or not np.array_equal(
        a.interactions["at"], b.interactions["at"]
    )


# --- shape of the network -------------------------------------------------------------------


def test_counts_are_roughly_as_asked(net: DemoNetwork) -> None:
    n = len(net.people)
    assert n == 1000
    assert [r[0] for r in net.people] == list(range(1, n + 1))
    # about 20 interactions a person (2,000,000 for 100,000 people over 6 years)
    assert 14 <= net.interaction_count / n <= 28
    assert 0.52 <= len({pid for _, pid, _, _ in net.emails}) / n <= 0.68
    assert 0.24 <= len(net.phones) / n <= 0.36
    assert 0.74 <= sum(r[8] is not None for r in net.people) / n <= 0.86
    assert 0.18 <= sum(r[10] is not None for r in net.people) / n <= 0.40
    assert sum(r[10] is not None and r[9] is None for r in net.people) > 0  # no year
    assert net.tags and net.asks and net.introductions and len(net.knows)
    assert sum(r[13] is not None for r in net.people) > 0  # a few notes
    assert len({r[16] for r in net.people if r[16]}) > 200  # connected over the years


def test_more_interactions_with_more_people_and_years() -> None:
    small = generate(people=300, years=3, seed=7, today=TODAY)
    longer = generate(people=300, years=6, seed=7, today=TODAY)
    bigger = generate(people=600, years=3, seed=7, today=TODAY)
    assert longer.interaction_count > 1.4 * small.interaction_count
    assert bigger.interaction_count > 1.5 * small.interaction_count


def test_names_are_varied_accented_and_mostly_unique(net: DemoNetwork) -> None:
    names = [r[1] for r in net.people]
    assert len(set(names)) / len(names) >= 0.97
    assert any(not name.isascii() for name in names)
    families = Counter(r[3] for r in net.people)
    assert len(families) > 120 and families.most_common(1)[0][1] < 30
    assert all(r[4] == fold_name(r[1]) for r in net.people)


def test_contact_details_are_unique_and_fictional(net: DemoNetwork) -> None:
    emails = [e for _, _, e, _ in net.emails]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9.\-]+@[a-z0-9\-.]+\.example", e) for e in emails)
    urls = [r[8] for r in net.people if r[8]]
    assert len(set(urls)) == len(urls)
    assert all(re.fullmatch(r"https://www\.linkedin\.com/in/[a-z0-9\-]+", u) for u in urls)
    fictional = re.compile(
        r"\+1\d{3}55501\d{2}"  # NANP 555-0100..0199
        r"|\+44(2079460|11[3-8]4960|1[2-6]14960|1914980|2920180|1632960|7700900)\d{3}"  # Ofcom
        r"|\+61[2378]5550\d{4}"  # ACMA fictional numbers
    )
    phones = [p for _, _, p, _, _ in net.phones]
    assert [p for p in phones if not fictional.fullmatch(p)] == []
    assert len(set(phones)) == len(phones)


def test_every_field_is_in_the_taxonomy_with_a_bias_to_the_own_field(net: DemoNetwork) -> None:
    slugs = {f.slug for f in taxonomy()}
    assert {f for _, f in net.person_fields} <= slugs
    primary = {}
    for pid, slug in net.person_fields:
        primary.setdefault(pid, slug)
    assert len(primary) == len(net.people)
    counts = Counter(primary.values())
    assert 0.28 <= counts["software"] / len(primary) <= 0.42
    assert counts.most_common(1)[0][0] == "software"
    assert len(counts) >= 25  # a spread over the taxonomy
    assert net.me["own_fields"] == ["software"]


def test_another_own_field() -> None:
    net = generate(people=600, seed=3, today=TODAY, own_field="medicine")
    primary = dict(reversed(net.person_fields))  # the first row of each person wins
    assert 0.25 <= Counter(primary.values())["medicine"] / 600 <= 0.45
    assert net.me["own_fields"] == ["medicine"]


def test_field_inference_recovers_most_fields(net: DemoNetwork) -> None:
    primary: dict[int, str] = {}
    for pid, slug in net.person_fields:
        primary.setdefault(pid, slug)
    agree = 0
    for row in net.people:
        found = infer_fields(row[6], row[5])
        agree += bool(found) and found[0].slug == primary[row[0]]
    rate = agree / len(net.people)
    print(f"field inference agrees with the demo's field for {rate:.1%} of people")
    assert rate >= 0.70


def test_organisations_are_clusters(net: DemoNetwork) -> None:
    orgs = Counter(r[5] for r in net.people if r[5])
    shared = sum(c for c in orgs.values() if c >= 3)
    assert shared / sum(orgs.values()) >= 0.4
    assert 0.9 <= sum(r[5] is not None for r in net.people) / len(net.people) <= 0.99


def test_share_of_people_never_contacted(net: DemoNetwork) -> None:
    never = (per_person(net)["count"] == 0).mean()
    assert 0.48 <= never <= 0.62


def test_tiers_drive_contact(net: DemoNetwork) -> None:
    count = per_person(net)["count"]
    by_layer = [count[net.layer == i].mean() for i in range(5)]
    assert by_layer == sorted(by_layer, reverse=True)
    assert by_layer[0] > 10 * by_layer[3]
    assert (net.layer == 0).sum() == round(5 * 1000 / 300)


def test_close_ties_are_reciprocal_and_deep(net: DemoNetwork) -> None:
    row = net.participants[:, 0] - 1
    layer = net.layer[net.participants[:, 1] - 1]
    started = net.interactions["initiator"][row]
    channel = net.interactions["channel"][row]
    deep = np.isin(channel, [Channel.IN_PERSON.code, Channel.CALL.code, Channel.VIDEO.code])
    close, far = layer <= 1, (layer >= 3) & (layer <= 4)
    assert 0.35 <= (started[close] == THEM).mean() <= 0.65
    assert (started[far] == ME).mean() > (started[close] == ME).mean()
    assert deep[close].mean() > deep[far].mean() + 0.2


def test_intents_are_mostly_deposits(net: DemoNetwork) -> None:
    intent = net.interactions["intent"]
    deposits = np.isin(intent, [Intent.CATCH_UP.code, Intent.SHARE.code, Intent.GIVE.code])
    assert 0.7 <= deposits.mean() <= 0.9
    assert 0.02 <= (intent == ASK).mean() <= 0.1
    assert (intent == ASKED_OF_ME).mean() > 0.02


def test_a_dormant_strong_tie(net: DemoNetwork) -> None:
    # dormant strong tie: at least 12 interactions, and none in the last year
    p = per_person(net)
    dormant = (p["count"] >= 12) & (p["last"] < TODAY_EPOCH - 365 * DAY)
    assert dormant.sum() >= 1
    assert dormant[net.highlights["dormant_strong_tie"] - 1]


def test_an_ask_only_tie(net: DemoNetwork) -> None:
    # ask-only tie: contacted, and every interaction is an ask that I started
    p = per_person(net)
    ask_only = (p["count"] > 0) & (p["asks"] == p["count"])
    assert ask_only.sum() >= 1
    assert ask_only[net.highlights["ask_only_tie"] - 1]


def test_someone_who_only_asks_of_me(net: DemoNetwork) -> None:
    # taker: at least two interactions, every one of them them asking me for something
    p = per_person(net)
    taker = (p["count"] >= 2) & (p["asked"] == p["count"])
    assert taker.sum() >= 1
    assert taker[net.highlights["taker"] - 1]


def test_highlights(net: DemoNetwork) -> None:
    p = per_person(net)
    h = net.highlights
    assert set(h) >= {"close_friend", "dormant_strong_tie", "ask_only_tie", "taker",
                      "never_contacted", "other_field_friend"}
    assert p["count"][h["never_contacted"] - 1] == 0
    assert p["count"][h["close_friend"] - 1] >= np.percentile(p["count"], 99)
    assert p["last"][h["close_friend"] - 1] > TODAY_EPOCH - 60 * DAY
    assert dict(net.person_fields)[h["other_field_friend"]] != "software"


def test_times_are_in_the_past_within_the_years(net: DemoNetwork) -> None:
    at = net.interactions["at"]
    assert (at < TODAY_EPOCH).all()
    assert (at >= TODAY_EPOCH - int(6 * 365.25 * DAY) - DAY).all()
    assert (np.diff(at) >= 0).all()  # ids in time order
    offsets = set(net.interactions["utc_offset"].tolist())
    assert len(offsets) >= 3 and offsets <= set(range(-12 * 60, 14 * 60 + 1, 30))
    only = net.interactions["date_only"]
    assert 0 < only.mean() < 0.15
    assert (at[only] % DAY == 12 * 3600).all() and (net.interactions["utc_offset"][only] == 0).all()


def test_asks_rows_match_ask_interactions(net: DemoNetwork) -> None:
    intent = net.interactions["intent"]
    ask_id = net.interactions["ask_id"]
    asking = (intent == ASK) | (intent == ASKED_OF_ME)
    assert (ask_id[asking] > 0).all() and (ask_id[~asking] == 0).all()
    asks = {row[0]: row for row in net.asks}
    assert len(asks) == asking.sum()
    first = {}
    for iid, pid in net.participants.tolist():
        first.setdefault(iid, pid)
    statuses = Counter()
    for i in np.flatnonzero(asking).tolist():
        _, pid, direction, what, status, opened, closed = asks[int(ask_id[i])]
        mine = intent[i] == ASK
        assert direction == (AskDirection.MINE.code if mine else AskDirection.THEIRS.code)
        assert pid == first[i + 1] and what
        assert opened < TODAY and (closed is None or opened <= closed < TODAY)
        statuses[status] += 1
    assert len(statuses) == 4  # open, fulfilled, declined, withdrawn


def test_groups_and_introductions(net: DemoNetwork) -> None:
    sizes = Counter(np.bincount(net.participants[:, 0]).tolist())
    assert sizes[2] + sizes[3] + sizes[4] > 0 and max(k for k in sizes if sizes[k]) <= 4
    knows = {(a, b, s) for _, a, b, s in net.knows.tolist()}
    for _, a, b, on, _, iid in net.introductions:
        row = iid - 1
        assert net.interactions["intent"][row] == Intent.GIVE.code
        people = set(net.participants[net.participants[:, 0] == iid, 1].tolist())
        assert people == {a, b}
        assert (min(a, b), max(a, b), EdgeSource.INTRODUCTION.code) in knows
        assert on < TODAY


def test_knows_edges_are_sparse_and_clustered(net: DemoNetwork) -> None:
    a, b, source = net.knows[:, 1], net.knows[:, 2], net.knows[:, 3]
    assert (a < b).all()
    assert len({(x, y, s) for x, y, s in zip(a, b, source, strict=True)}) == len(net.knows)
    assert len(net.knows) < 3 * len(net.people)
    org = {r[0]: r[5] for r in net.people}
    same = source == EdgeSource.SAME_ORGANISATION.code
    assert same.sum() > 0 and all(org[x] == org[y] for x, y in zip(a[same], b[same], strict=True))
    assert (source == EdgeSource.STATED.code).sum() > 0


def test_bad_arguments() -> None:
    with pytest.raises(ValidationError, match="unknown field"):
        generate(people=10, own_field="alchemy")
    with pytest.raises(ValidationError):
        generate(people=0)
    with pytest.raises(ValidationError):
        generate(people=10, years=0)


@pytest.mark.parametrize("people", [1, 5, 12, 40])
def test_tiny_networks(people: int) -> None:
    net = generate(people=people, years=1, seed=1, today=TODAY)
    assert len(net.people) == people
    assert (net.interactions["at"] < TODAY_EPOCH).all()


# --- writing ----------------------------------------------------------------------------------


def table_counts(url: str) -> dict[str, int]:
    db = open_database(url)
    try:
        with db.session() as s:  # as the ledger's user: PostgreSQL shows only their rows
            return {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        db.close()


def test_write_to_a_sqlite_file(sqlite_url: str) -> None:
    net = generate(people=400, seed=5, today=TODAY)
    db = open_database(sqlite_url)
    with db.engine.connect() as conn:
        indexes = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='index'")).all()
    calls: list[tuple[str, int, int]] = []
    write(db, net, progress=lambda stage, done, total: calls.append((stage, done, total)))
    with db.engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        assert {t: q(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES} == net.counts()
        assert q("PRAGMA foreign_key_check") == []
        assert q("PRAGMA integrity_check") == [("ok",)]
        after = q("SELECT name, sql FROM sqlite_master WHERE type='index'")
        assert sorted(after) == sorted(indexes)  # dropped for the load, and made again
        # no interaction without a person, no knows edge or ask to a missing person
        assert q("SELECT count(*) FROM interaction WHERE id NOT IN "
                 "(SELECT interaction_id FROM interaction_person)") == [(0,)]
        assert q("SELECT count(*) FROM interaction i JOIN ask a ON a.id = i.ask_id") == [
            (len(net.asks),)
        ]
        assert q("SELECT count(*) FROM person_field pf LEFT JOIN field f ON f.slug = pf.field "
                 "WHERE f.slug IS NULL") == [(0,)]
    # the ORM reads what was written: codes, dates, settings
    from netfolio.core.models import Ask, Interaction, Person
    from netfolio.core.settings import get_me

    with db.session() as s:
        me = get_me(db_session=s)
        assert (me.name, me.emails, me.own_fields, me.weekly_budget) == (
            net.me["name"], net.me["emails"], ["software"], net.me["weekly_budget"]
        )
        person = s.get(Person, net.highlights["close_friend"])
        assert person is not None and person.source == "demo" and person.fields
        first = s.get(Interaction, 1)
        assert first is not None and isinstance(first.channel, Channel) and first.people
        assert first.when.date() < TODAY
        ask = s.get(Ask, 1)
        assert ask is not None and isinstance(ask.opened_on, dt.date)
    db.close()
    stages = [c[0] for c in calls]
    assert {"person", "interaction", "interaction_person", "knows", "setting"} <= set(stages)
    assert all(done == total for stage, done, total in calls if stages.count(stage) == 1)


def test_write_into_a_ledger_with_people_raises_and_writes_nothing(db_url: str) -> None:
    first = generate(people=60, seed=1, today=TODAY)
    db = open_database(db_url)
    write(db, first)
    before = table_counts(db_url)
    with pytest.raises(ValidationError, match="already has people"):
        write(db, generate(people=80, seed=2, today=TODAY))
    db.close()
    assert table_counts(db_url) == before == first.counts()


def test_a_failure_midway_writes_nothing(sqlite_url: str) -> None:
    net = generate(people=200, seed=4, today=TODAY)
    db = open_database(sqlite_url)

    def fail(stage: str, done: int, total: int) -> None:
        if stage == "interaction":
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write(db, net, progress=fail)
    db.close()
    assert set(table_counts(sqlite_url).values()) == {0}
    write(open_database(sqlite_url), net)  # and the ledger is still usable
    assert table_counts(sqlite_url) == net.counts()


def test_build(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    net = build(url, people=120, seed=9, today=TODAY)
    assert table_counts(url) == net.counts()


@pytest.mark.slow
def test_scale(tmp_path: Path) -> None:
    import time

    url = f"sqlite:///{tmp_path / 'big.db'}"
    started = time.perf_counter()
    net = build(url, people=20_000, years=6, seed=7, today=TODAY)
    elapsed = time.perf_counter() - started
    assert 300_000 <= net.interaction_count <= 560_000
    assert table_counts(url) == net.counts()
    print(f"20,000 people, {net.interaction_count:,} interactions: {elapsed:.1f} s")
    assert elapsed < 120


def test_the_ledger_takes_new_rows_after_the_demo(db_url: str) -> None:
    """Explicit ids must not trip later inserts (PostgreSQL sequences are moved past them)."""
    from netfolio.core.interactions import introduce, log_interaction
    from netfolio.core.models import Ask, Person
    from netfolio.core.people import create_person

    net = generate(people=80, seed=6, today=TODAY)
    db = open_database(db_url)
    write(db, net)
    with db.session() as s:
        new = create_person(db_session=s, display_name="Ana Núñez", emails=["ana.new@example.com"])
        assert new.id == len(net.people) + 1
        old = s.get(Person, 1)
        assert old is not None
        log_interaction(db_session=s, people=[new, old], when=TODAY)
        introduce(db_session=s, a=new, b=old, when=TODAY)
        s.add(Ask(person_id=new.id, direction="mine", what="advice", opened_on=TODAY))
        s.flush()
    db.close()


def test_the_schema_is_unchanged_by_the_bulk_load(db_url: str) -> None:
    """Indexes (SQLite) and foreign keys (PostgreSQL) set aside for speed are all back."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from netfolio.core.models import Base
    from netfolio.core.search import is_search_table

    db = open_database(db_url)
    write(db, generate(people=50, seed=8, today=TODAY))
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: not (kind == "table" and is_search_table(name)),
        })
        assert compare_metadata(ctx, Base.metadata) == []
    db.close()


def test_demo_numbers_are_believable() -> None:
    """The tour's demo: a close friend is asked about once a year, not every month."""
    net = generate(people=400, seed=7, today=TODAY)
    friend = net.highlights["close_friend"]
    mine = sum(1 for a in net.asks if a[1] == friend and a[2] == AskDirection.MINE.code)
    assert 1 <= mine <= 8  # 6 years: at most about one a year
    per_person = np.bincount([a[1] for a in net.asks])
    assert per_person.max() <= 2 * 8


def test_the_demo_writes_only_private_tables_and_gives_ids_where_the_key_is_id() -> None:
    """The demo's tables are named by their models: each is one of the user's own tables
    (Owned), and the ones whose sequences it moves are exactly those keyed by ``id``."""
    from netfolio.core import models
    from netfolio.demo.writer import demo_tables, id_tables

    owned = {m.class_.__tablename__ for m in models.Base.registry.mappers
             if issubclass(m.class_, models.Owned)}
    assert set(demo_tables()) <= owned
    assert set(demo_tables()) == set(TABLES)
    assert id_tables() == (
        "person", "person_email", "person_phone", "ask", "interaction", "introduction", "knows",
    )
