"""Ask mode on a small hand-built ledger with known answers: ranking, bandwidth, warm paths."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from netfolio.core.plan_actions import LedgerFacts
from netfolio.core.snapshot import Snapshot
from netfolio.errors import ValidationError
from netfolio.measures import Params, tie_strength
from netfolio.network import Network
from netfolio.practice.ask import Need, ask_mode, fold

TODAY = dt.date(2026, 3, 2)
PARAMS = dataclasses.replace(Params(), weekly_budget=5)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def ledger() -> tuple[Snapshot, LedgerFacts]:
    people = [
        {"id": 1, "name": "Ana", "organisation": "Stripe", "title": "Payments Engineer",
         "fields": ["software"]},
        {"id": 2, "name": "Bo", "organisation": "Stripe", "title": "Product Manager"},
        {"id": 3, "name": "Cy", "organisation": "Stripe", "title": "Designer"},
        {"id": 4, "name": "Dee", "organisation": "Stripe", "title": "Engineering Manager"},
        {"id": 5, "name": "Eli", "organisation": "Globex", "title": "Recruiter"},
        {"id": 6, "name": "Fay", "organisation": "Globex", "title": "Analyst"},
        {"id": 7, "name": "Gus", "organisation": "Initech", "title": "Founder"},
        {"id": 8, "name": "Hal", "organisation": "Stripe", "title": "Risk Analyst"},
        {"id": 9, "name": "Ivy", "organisation": "Freelance", "title": "Stripe consultant"},
        {"id": 10, "name": "Jo", "organisation": "Acme", "title": "Chef"},
        {"id": 11, "name": "Kim", "organisation": "Hospital Clínic", "title": "Cardiologist",
         "fields": ["medicine"]},
        {"id": 12, "name": "Zed", "organisation": "Stripe", "title": "Intern"},
    ]
    ix: list[dict[str, object]] = []
    for k in range(100):  # Ana and Jo: weekly, in person, for two years
        ix.append({"person": 1, "at": days_ago(3 + 7 * k), "channel": "in_person"})
        ix.append({"person": 10, "at": days_ago(4 + 7 * k), "channel": "in_person"})
    for k in range(60):  # Bo: close too, but you asked a month ago
        ix.append({"person": 2, "at": days_ago(5 + 10 * k), "channel": "call",
                   "initiator": "them" if k % 2 else "me"})
    ix.append({"person": 2, "at": days_ago(30), "intent": "ask"})
    for k in range(6):  # Cy: mostly asks, a negative balance
        ix.append({"person": 3, "at": days_ago(40 + 50 * k), "channel": "call",
                   "intent": "ask" if k else "catch_up"})
    for k in range(2):  # Eli: a couple of calls more than a year ago
        ix.append({"person": 5, "at": days_ago(400 + 60 * k), "channel": "call"})
    ix.append({"person": 11, "at": days_ago(20), "channel": "in_person"})
    edges = [(1, 4), (1, 7), (7, 8)]  # Ana knows Dee and Gus; Gus knows Hal
    snapshot = Snapshot.from_records(people=people, interactions=ix, edges=edges,
                                     own_fields=["software"])
    facts = LedgerFacts(
        notes={6: "Used to work at Stripe on fraud models."},
        tags={10: ("cooking",), 2: ("payments",)},
        locations={1: "London", 2: "Dublin", 4: "London"},
        field_names={"software": "Software", "medicine": "Medicine"},
    )
    return snapshot, facts


def ask(need: Need) -> object:
    snapshot, facts = ledger()
    return ask_mode(snapshot, TODAY, PARAMS, facts, need)


def test_direct_contacts_are_ranked_with_bandwidth_and_build_first() -> None:
    report = ask(Need("who knows stripe"))
    assert [c.person.id for c in report.direct] == [1, 2, 3]
    ana, bo, cy = report.direct
    assert ana.group == 0 and ana.can_ask and ana.warning is None
    assert ana.matches[0].code == "organisation" and ana.matches[0].text == "works at Stripe"
    assert bo.group == 1 and not bo.can_ask
    assert "asked_recently" in [r.code for r in bo.reasons]
    assert bo.next_ask == days_ago(30) + dt.timedelta(days=183)
    assert cy.group == 2 and cy.balance < 0 and cy.warning == "build first"
    assert "build_first" in [r.code for r in cy.reasons]
    assert report.matched == 8  # six at Stripe, Ivy by title, and Fay through your notes
    assert report.targets == 5


def test_warm_paths_rank_by_the_weakest_tie() -> None:
    snapshot, _ = ledger()
    strength = tie_strength(snapshot, TODAY, PARAMS).score
    eli = float(strength[snapshot.row_of(5)])
    assert 10 <= eli < 40
    report = ask(Need("who knows stripe"))
    paths = [(w.target.id, [v.id for v in w.via], w.hops, round(w.weakest, 6))
             for w in report.warm_paths]
    assert paths == [
        (4, [1], 1, 40.0),  # Ana knows Dee
        (8, [1, 7], 2, 40.0),  # Ana knows Gus, who knows Hal: one more hop, same weakest tie
        (12, [1], 1, 25.0),  # Zed works at Stripe with Ana (free to ask), Bo (asked) and Cy
        (6, [5], 1, round(min(eli, 25.0), 6)),  # Eli works at Globex with Fay (notes: Stripe)
    ]
    dee, hal, zed, fay = report.warm_paths
    assert dee.links[1:] == ("Ana knows Dee",) and dee.links[0].startswith("you know Ana (tie")
    assert hal.links[1:] == ("Ana knows Gus", "Gus knows Hal")
    assert fay.links[1:] == ("Eli and Fay both work at Globex",)
    assert dee.reasons[0].text.startswith("The weakest tie on the path is 40: yours with Ana")
    assert "Ana's with Dee (a recorded acquaintance, counted as 40)" in dee.reasons[0].text
    assert dee.request is not None and dee.request.startswith("Hi Ana,")
    assert "introducing us" in dee.request and "Dee (Engineering Manager at Stripe)" in dee.request
    # Bo was asked a month ago: no path goes through him, although he works at Stripe
    assert all(v.id != 2 for w in report.warm_paths for v in w.via)
    assert zed.can_ask_introducer and zed.introducer_reasons == ()
    assert fay.matches[0].code == "notes"
    assert 9 not in [w.target.id for w in report.warm_paths]  # Ivy: no path


def test_filters_all_apply_and_words_add_relevance() -> None:
    report = ask(Need("", company="stripe", title="engineer"))
    assert [c.person.id for c in report.direct] == [1]
    assert [w.target.id for w in report.warm_paths] == [4]
    city = ask(Need("", company="Stripe", city="london"))
    assert [c.person.id for c in city.direct] == [1]
    field = ask(Need("", field="software"))
    assert [c.person.id for c in field.direct] == [1]
    words = ask(Need("payments"))  # Ana's title, Bo's tag: both relevant, Ana free to ask
    assert [c.person.id for c in words.direct] == [1, 2]
    assert words.direct[1].matches[0].code == "tag"


def test_tier_keeps_the_closest_and_paging_splits_the_lists() -> None:
    everyone = ask(Need("stripe"))
    close = ask(Need("stripe", tier=5))
    assert {c.person.id for c in close.direct} < {c.person.id for c in everyone.direct}
    assert close.warm_paths == everyone.warm_paths  # paths lead to strangers: no tier
    with pytest.raises(ValidationError, match="a tier is one of"):
        ask(Need("stripe", tier=7))
    snapshot, facts = ledger()
    first = ask_mode(snapshot, TODAY, PARAMS, facts, Need("stripe"), limit=1)
    second = ask_mode(snapshot, TODAY, PARAMS, facts, Need("stripe"), limit=1, offset=1)
    assert [c.person.id for c in first.direct + second.direct] == [
        c.person.id for c in everyone.direct[:2]]
    assert [w.target.id for w in first.warm_paths + second.warm_paths] == [
        w.target.id for w in everyone.warm_paths[:2]]


def test_accents_and_case_are_folded() -> None:
    assert fold("Hospital Clínic") == "hospital clinic"
    report = ask(Need("CLINIC"))
    assert [c.person.id for c in report.direct] == [11]
    assert ask(Need("medicine")).direct[0].matches[0].code == "field"


def test_nothing_to_look_for_is_an_error() -> None:
    with pytest.raises(ValidationError, match="say what you need"):
        ask(Need("who can help me"))
    assert Need("who knows someone at Stripe?").words == ["stripe"]


def test_no_match_is_an_empty_answer() -> None:
    report = ask(Need("astronaut"))
    assert report.direct == [] and report.warm_paths == [] and report.matched == 0
    assert report.to_dict()["need"]["text"] == "astronaut"


def test_ask_through_the_network_records_and_resolves(net: Network) -> None:
    ana = net.add("Ana Núñez", organisation="Stripe", title="Engineer", fields=["software"])
    dee = net.add("Dee Park", organisation="Stripe", title="Risk lead")
    for d in ("2026-01-05", "2026-02-05", "2026-03-05"):
        net.log([ana.id], when=d, channel="in_person")
    net.knows(ana.id, dee.id)
    report = net.ask("stripe risk", field=None)
    assert [c.person.id for c in report.direct] == [ana.id]
    assert [(w.target.id, [v.id for v in w.via]) for w in report.warm_paths] == [
        (dee.id, [ana.id])]
    assert net.ask("", field="Software").direct[0].person.id == ana.id
    recorded = net.ask_record(ana.id, "an intro to Dee")
    after = net.ask("stripe")
    assert after.direct[0].group == 1
    closed = net.ask_resolve(recorded.id, "declined")
    assert closed.status == "declined" and closed.closed_on is not None
    with pytest.raises(ValidationError):
        net.ask_resolve(recorded.id, "maybe")


def test_a_matched_text_is_cut_on_whole_words() -> None:
    from netfolio.network import _snippet

    text = "Went through how their team hires and explained their market to me at length today"
    shown = _snippet(text, ["hires"], width=40)
    assert "hires" in shown and shown.startswith("…") and shown.endswith("…")
    words = set(text.split())
    assert all(w in words for w in shown.strip("…").split()), shown
    assert _snippet("short", ["short"]) == "short"
