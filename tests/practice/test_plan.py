"""The weekly plan: budget, field cap, asks respected, deterministic, occasions, actions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from practice_helpers import WEEK, last_asks, random_ledger

from netfolio.core.plan_actions import ActionFact, AskFact, JobChangeFact, LedgerFacts
from netfolio.core.snapshot import Snapshot, day_number
from netfolio.measures import Params
from netfolio.network import Network
from netfolio.practice.plan import DEFAULT_RULES, REASONS, SUGGESTIONS, weekly_plan

PARAMS = dataclasses.replace(Params(), weekly_budget=5)
START = day_number(WEEK)


def check_invariants(snapshot: Snapshot, facts: LedgerFacts, budget: int) -> None:
    params = dataclasses.replace(PARAMS, weekly_budget=budget)
    plan = weekly_plan(snapshot, WEEK, params, facts)
    rules = DEFAULT_RULES
    assert plan.week == WEEK and plan.budget == budget
    assert len(plan.items) <= budget
    assert len({i.person.id for i in plan.items}) == len(plan.items)
    cap = max(rules.per_field, math.ceil(budget * rules.max_field_share))
    per_field: dict[str, int] = {}
    for item in plan.items:
        for f in item.person.fields or ("",):
            per_field[f] = per_field.get(f, 0) + 1
    assert all(n <= cap for n in per_field.values()), per_field
    asked = last_asks(snapshot, START + 6)
    for item in plan.items:
        codes = [r.code for r in item.reasons]
        assert codes and set(codes) <= set(REASONS)
        assert item.suggestion.kind in SUGGESTIONS
        assert WEEK <= item.day <= WEEK + dt.timedelta(days=6)
        if "thank_you" not in codes:
            assert asked.get(item.person.id, -10**6) < START - rules.ask_quiet_days
    never = [i for i in plan.items if "never_contacted" in [r.code for r in i.reasons]]
    assert len(never) <= rules.new_per_week
    # the same date and ledger give the same plan, any day of the week
    again = weekly_plan(snapshot, WEEK + dt.timedelta(days=3), params, facts)
    assert again.to_dict() == plan.to_dict()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), budget=st.integers(1, 9))
def test_invariants_on_random_ledgers(seed: int, budget: int) -> None:
    snapshot, facts = random_ledger(seed)
    check_invariants(snapshot, facts, budget)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), budget=st.integers(1, 12), people=st.integers(5, 200))
def test_invariants_on_many_random_ledgers(seed: int, budget: int, people: int) -> None:
    snapshot, facts = random_ledger(seed, people)
    check_invariants(snapshot, facts, budget)


def overdue_crowd(n: int = 40) -> Snapshot:
    """n people once in monthly contact, silent for a year: all overdue, in three fields."""
    people = [{"id": i, "name": f"P{i}", "fields": [("software", "finance", "arts")[i % 3]]}
              for i in range(1, n + 1)]
    interactions = [
        {"person": i, "at": WEEK - dt.timedelta(days=365 + 30 * k), "channel": "call"}
        for i in range(1, n + 1) for k in range(12)
    ]
    return Snapshot.from_records(people=people, interactions=interactions,
                                 own_fields=["software"])


def test_budget_kept_when_many_are_overdue() -> None:
    snapshot = overdue_crowd()
    plan = weekly_plan(snapshot, WEEK, PARAMS, LedgerFacts())
    assert len(plan.items) == 5
    assert plan.candidates == 40
    assert all("overdue" in [r.code for r in i.reasons] or "dormant" in [r.code for r in i.reasons]
               for i in plan.items)
    fields = [i.person.fields[0] for i in plan.items]
    assert max(fields.count(f) for f in set(fields)) <= 2  # spread across fields


def test_recently_asked_people_wait_but_a_thank_you_does_not() -> None:
    snapshot = overdue_crowd(6)
    asks = [{"person": i, "day": WEEK - dt.timedelta(days=10)} for i in (1, 2, 3, 4, 5)]
    snapshot = Snapshot.from_records(
        people=[{"id": i, "name": f"P{i}", "fields": [f"f{i}"]} for i in range(1, 7)],
        interactions=[{"person": i, "at": WEEK - dt.timedelta(days=365 + 30 * k)}
                      for i in range(1, 7) for k in range(12)],
        asks=asks)
    facts = LedgerFacts(fulfilled_asks=[AskFact(9, 2, "a reference", WEEK - dt.timedelta(5),
                                                WEEK - dt.timedelta(2))])
    plan = weekly_plan(snapshot, WEEK, PARAMS, facts)
    ids = [i.person.id for i in plan.items]
    assert set(ids) == {2, 6}
    thanks = plan.item_for(2)
    assert thanks is not None and thanks.reasons[0].code == "thank_you"
    assert thanks.suggestion.kind == "thank" and thanks.suggestion.intent == "give"
    assert "a reference" in thanks.suggestion.opener
    assert plan.held_back["asked_recently"] == 4


def test_birthdays_and_job_changes_are_occasions() -> None:
    people = [{"id": i, "name": f"Person {i}", "title": "Analyst", "organisation": "Acme",
               "fields": ["finance"]} for i in (1, 2, 3)]
    interactions = [{"person": i, "at": WEEK - dt.timedelta(days=20)} for i in (1, 2, 3)]
    snapshot = Snapshot.from_records(people=people, interactions=interactions)
    facts = LedgerFacts(
        birthdays={1: (1990, 3, 4), 3: (None, 3, 20)},
        job_changes=[JobChangeFact(2, WEEK - dt.timedelta(days=3), "Analyst", "CFO", "Acme",
                                   "Globex")],
    )
    plan = weekly_plan(snapshot, WEEK, PARAMS, facts)
    by_id = {i.person.id: i for i in plan.items}
    assert set(by_id) == {1, 2}  # the birthday on 20 March is another week
    assert by_id[1].reasons[0].code == "birthday" and by_id[1].day == dt.date(2026, 3, 4)
    assert by_id[1].reasons[0].facts["age"] == 36
    assert by_id[1].suggestion.kind == "congratulate"
    assert "birthday" in by_id[1].suggestion.opener.lower()
    job = by_id[2]
    assert job.reasons[0].code == "job_change" and job.reasons[0].facts["new_title"] == "CFO"
    assert job.suggestion.kind == "congratulate" and "CFO at Globex" in job.suggestion.opener


def test_a_29_february_birthday_is_kept_in_common_years() -> None:
    week = dt.date(2027, 2, 22)  # 2027 is not a leap year
    snapshot = Snapshot.from_records(
        people=[{"id": 1, "name": "Leap"}],
        interactions=[{"person": 1, "at": week - dt.timedelta(days=30)}])
    plan = weekly_plan(snapshot, week, PARAMS, LedgerFacts(birthdays={1: (2000, 2, 29)}))
    assert plan.items[0].reasons[0].code == "birthday"
    assert plan.items[0].day == dt.date(2027, 2, 28)


def test_skip_snooze_and_done_are_respected() -> None:
    snapshot = overdue_crowd(12)
    base = weekly_plan(snapshot, WEEK, PARAMS, LedgerFacts())
    first, second, third = (i.person.id for i in base.items[:3])
    actions = [
        ActionFact(first, WEEK, "skip", WEEK),
        ActionFact(second, WEEK - dt.timedelta(7), "snooze", WEEK - dt.timedelta(5),
                   until=WEEK + dt.timedelta(14)),
        ActionFact(third, WEEK, "done", WEEK + dt.timedelta(1), interaction_id=1),
    ]
    plan = weekly_plan(snapshot, WEEK, PARAMS, LedgerFacts(actions=actions))
    ids = [i.person.id for i in plan.items]
    assert first not in ids and second not in ids
    assert plan.items[0].person.id == third and plan.items[0].status == "done"
    assert len(plan.items) == 5
    assert [p.id for p in plan.skipped] == [first]
    assert [(p.id, d) for p, d in plan.snoozed] == [(second, WEEK + dt.timedelta(14))]
    # the week containing the snooze date brings them back; a skip lasts one week
    later = weekly_plan(snapshot, WEEK + dt.timedelta(14), PARAMS, LedgerFacts(actions=actions))
    assert second not in [p.id for p, _ in later.snoozed]


def test_never_contacted_get_a_slot_but_no_more_than_two() -> None:
    snapshot = overdue_crowd(20)
    people = [{"id": i, "name": f"P{i}", "fields": [("software", "finance", "arts")[i % 3]]}
              for i in range(1, 41)]
    interactions = [{"person": i, "at": WEEK - dt.timedelta(days=365 + 30 * k)}
                    for i in range(1, 21) for k in range(12)]
    snapshot = Snapshot.from_records(people=people, interactions=interactions)
    plan = weekly_plan(snapshot, WEEK, PARAMS, LedgerFacts())
    never = [i for i in plan.items if i.strength == 0]
    assert 1 <= len(never) <= 2
    assert all(i.suggestion.kind == "ask_about_work" and i.suggestion.purpose == "learn"
               for i in never)


def test_introduction_names_a_concrete_person() -> None:
    people = [
        {"id": 1, "name": "Ana", "organisation": "A", "fields": ["medicine"]},
        {"id": 2, "name": "Ben", "organisation": "B", "fields": ["medicine"]},
        {"id": 3, "name": "Cy", "organisation": "C", "fields": ["law"]},
    ]
    interactions = [
        # Ana gave you help recently and got nothing back: reciprocity owed
        {"person": 1, "at": WEEK - dt.timedelta(days=400 + 20 * k)} for k in range(10)
    ] + [{"person": 1, "at": WEEK - dt.timedelta(days=12), "intent": "received",
          "initiator": "them"}] + [
        {"person": 2, "at": WEEK - dt.timedelta(days=3 + 7 * k), "channel": "in_person"}
        for k in range(30)
    ]
    snapshot = Snapshot.from_records(people=people, interactions=interactions)
    plan = weekly_plan(snapshot, WEEK, PARAMS, LedgerFacts(field_names={"medicine": "Medicine"}))
    ana = plan.item_for(1)
    assert ana is not None and "reciprocity_owed" in [r.code for r in ana.reasons]
    assert ana.suggestion.kind == "introduce"
    assert ana.suggestion.introduce is not None and ana.suggestion.introduce.id == 2
    assert "Ben" in ana.suggestion.opener and "Medicine" in ana.suggestion.opener


def test_empty_ledger_gives_an_empty_plan() -> None:
    plan = weekly_plan(Snapshot.empty(), WEEK, PARAMS, LedgerFacts())
    assert plan.items == [] and plan.to_dict()["items"] == []


# -- through the Network ------------------------------------------------------------------------


def test_fulfilled_ask_puts_a_thank_you_in_the_plan(net: Network) -> None:
    ana = net.add("Ana Núñez", organisation="Hospital Clínic", title="Cardiologist")
    net.log([ana.id], when="2025-01-10", intent="catch_up", channel="call")
    ask = net.ask_record(ana.id, "an introduction to a hospital CTO")
    before = net.plan()
    assert before.item_for(ana.id) is None  # asked this week: left alone
    net.ask_resolve(ask.id, "fulfilled")
    plan = net.plan()
    item = plan.item_for(ana.id)
    assert item is not None
    assert item.reasons[0].code == "thank_you"
    assert item.reasons[0].facts["ask_id"] == ask.id
    assert item.suggestion.kind == "thank" and item.suggestion.intent == "give"
    done = net.plan_done(ana.id)
    assert done.intent == "give"
    after = net.plan().item_for(ana.id)
    assert after is not None and after.status == "done"
    assert after.reasons[0].code == "thank_you"  # the week keeps its reasons once acted on


def test_plan_actions_are_remembered(net: Network) -> None:
    ids = []
    for i in range(8):
        p = net.add(f"Person {i}", title="Engineer", organisation=f"Org {i}",
                    fields=[("software", "finance", "arts_music", "law")[i % 4]])
        for month in range(1, 13):  # monthly calls through 2024, silent since: overdue
            net.log([p.id], when=f"2024-{month:02d}-15", intent="catch_up", channel="call")
        ids.append(p.id)
    plan = net.plan()
    assert len(plan.items) == 5
    a, b, c = (i.person.id for i in plan.items[:3])
    net.plan_skip(a)
    net.plan_snooze(b, dt.date.today() + dt.timedelta(days=30))
    done = net.plan_done(c, channel="call")
    assert done.action == "done" and done.interaction_id is not None
    assert done.intent == plan.items[2].suggestion.intent
    again = net.plan()
    assert again.items[0].person.id == c and again.items[0].status == "done"
    assert a not in [i.person.id for i in again.items]
    assert b not in [i.person.id for i in again.items]
    ledger = net.ledger(c)
    assert ledger.interactions[0].channel == "call"
    assert ledger.interactions[0].note and ledger.interactions[0].note.startswith("From the plan")
    next_week = net.plan(dt.date.today() + dt.timedelta(days=7))
    assert b not in [i.person.id for i in next_week.items]


def test_snooze_needs_a_future_date(net: Network) -> None:
    from netfolio.errors import ValidationError

    p = net.add("Ana")
    with pytest.raises(ValidationError, match="after today"):
        net.plan_snooze(p.id, dt.date.today())


@pytest.mark.slow
def test_demo_plan_is_spread_and_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from netfolio import demo

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    data = demo.build(url, people=400, years=6, seed=11, today=dt.date(2026, 11, 26))
    with Network(url) as net:
        first = net.plan(data.today)
        again = net.plan(data.today - dt.timedelta(days=data.today.weekday()))
        assert first.to_dict() == again.to_dict()
        assert len(first.items) == 5
        codes = {r.code for i in first.items for r in i.reasons}
        assert len(codes) >= 2


def test_a_plan_made_midweek_skips_past_birthdays_and_dates_in_order() -> None:
    people = [{"id": i, "name": f"Person {i}", "title": "Analyst", "organisation": "Acme",
               "fields": ["finance"]} for i in range(1, 9)]
    interactions = [{"person": i, "at": WEEK - dt.timedelta(days=20 + i)} for i in range(1, 9)]
    snapshot = Snapshot.from_records(people=people, interactions=interactions)
    facts = LedgerFacts(birthdays={1: (1990, 3, 2), 2: (1985, 3, 6)})  # Monday, Friday
    thursday = WEEK + dt.timedelta(days=3)
    plan = weekly_plan(snapshot, WEEK, PARAMS, facts, today=thursday)
    by_id = {i.person.id: i for i in plan.items}
    assert 1 not in by_id or all(r.code != "birthday" for r in by_id[1].reasons)  # past
    assert by_id[2].reasons[0].code == "birthday" and by_id[2].day == dt.date(2026, 3, 6)
    days = [i.day for i in plan.items]
    assert days == sorted(days) and min(days) >= thursday
    # without today (a plan for a whole week) Monday's birthday is kept
    whole = weekly_plan(snapshot, WEEK, PARAMS, facts)
    assert any(r.code == "birthday" for i in whole.items if i.person.id == 1 for r in i.reasons)
    assert [i.day for i in whole.items] == sorted(i.day for i in whole.items)


def test_on_a_weekend_the_plan_is_for_the_coming_week(net: Network,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    sunday = dt.date(2026, 3, 8)
    monkeypatch.setattr(Network, "day", staticmethod(
        lambda as_of=None: day_number(sunday if as_of is None else (
            as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)))))
    ana = net.add("Ana Núñez", birthday="--03-07")  # Saturday: already past
    bea = net.add("Bea Ruiz", birthday="--03-11")  # the coming Wednesday
    for who in (ana, bea):
        net.log([who.id], when="2026-01-10", intent="catch_up", channel="call")
    plan = net.plan()
    assert plan.week == dt.date(2026, 3, 9)
    assert {i.person.id: i.day for i in plan.items}.get(bea.id) == dt.date(2026, 3, 11)
    assert all(i.day >= dt.date(2026, 3, 9) for i in plan.items)
    assert net.plan("2026-03-04").week == dt.date(2026, 3, 2)  # a named week is that week
    # a touch logged today (Sunday) takes them out of the coming week's plan
    net.log([bea.id], when="2026-03-08", intent="catch_up", channel="call")
    assert net.plan().item_for(bea.id) is None
