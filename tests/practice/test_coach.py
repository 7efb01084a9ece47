"""The coach: accuracy on a labelled corpus, each rule, and compose never asking a weak tie."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netfolio.errors import ValidationError
from netfolio.network import Network
from netfolio.practice.coach import (
    _FAVOUR,
    PURPOSES,
    SEND_IT,
    CheckContext,
    PersonFacts,
    TieFacts,
    check,
    compose,
)

CORPUS = tomllib.loads((Path(__file__).parent / "coach_corpus.toml").read_text("utf-8"))["draft"]
#: The accuracy the rules must keep on the corpus (docs/coach.md reports the measured figure).
MIN_ACCURACY = 0.9


def context(d: dict[str, object]) -> CheckContext:
    return CheckContext(
        first_contact=bool(d["first_contact"]), weak=bool(d["weak"]), name=str(d["name"]),
        organisation=d.get("organisation"),  # type: ignore[arg-type]
        title=d.get("title"),  # type: ignore[arg-type]
        fields=tuple(d.get("fields", ())),  # type: ignore[arg-type]
    )


def test_corpus_is_big_and_balanced() -> None:
    labels = [d["label"] for d in CORPUS]
    assert len(CORPUS) >= 40
    assert set(labels) == {"good", "bad"}
    assert abs(labels.count("good") - labels.count("bad")) <= 4


def test_corpus_accuracy() -> None:
    """Score >= 50 iff labelled good, on at least 90% of the corpus. Run with -s to see it."""
    wrong = []
    for d in CORPUS:
        result = check(str(d["text"]), context(d))
        if result.send_it != (d["label"] == "good"):
            wrong.append((d["label"], result.score, str(d["text"])[:60]))
    accuracy = 1 - len(wrong) / len(CORPUS)
    print(f"\ncoach corpus accuracy: {len(CORPUS) - len(wrong)}/{len(CORPUS)} = {accuracy:.1%}")
    assert accuracy >= MIN_ACCURACY, wrong


def codes(text: str, ctx: CheckContext | None = None) -> dict[str, int]:
    return {f.code: f.points for f in check(text, ctx).findings}


FIRST = CheckContext(first_contact=True, weak=True, name="Maya Lind", organisation="Nordea")
STRONG = CheckContext(first_contact=False, weak=False, name="Maya Lind")


def test_you_focus_counts_second_against_first_person() -> None:
    assert "you_focus" in codes("Your work on pricing is great. What got you into it, and "
                                "what do you wish people knew?")
    found = codes("I am a developer. I built my app and I think my app is great. I want to "
                  "grow. What do you think?")
    assert found["self_focus"] < 0
    assert "no_you" in codes("Greetings. The weather is nice today. Talk soon, friend.")


def test_an_invitation_to_share_is_a_question_about_them() -> None:
    assert codes("How did you get into pricing models at Nordea?")["invites_sharing"] == 25
    assert "closed_question" in codes("Are you still working on pricing models at Nordea?")
    assert "no_invitation" in codes("Are you free on Thursday, by any chance, for a chat?")
    assert "no_invitation" in codes("Here is the article I mentioned. Enjoy the weekend.")
    # a scheduling question is not an invitation, nor is a favour phrased as a question
    assert "invites_sharing" not in codes("When are you free next week to meet up?")
    assert "invites_sharing" not in codes("Could you introduce me to your manager, please?")
    assert "invites_sharing" in codes("Could I pick your brain for a few minutes?")


def test_the_size_of_the_time_asked() -> None:
    assert "small_time" in codes("Do you have 15 minutes for a call about your research?")
    assert "medium_time" in codes("Would half an hour next month work to hear about you?")
    heavy = codes("Could we meet for an hour so I can hear about your work?", FIRST)
    assert heavy["heavy_time"] == -25
    assert codes("Lunch next week to talk about your work?", STRONG)["heavy_time"] == -15
    assert "open_time" in codes("Want to grab coffee and tell me about your new role?")


def test_a_favour_depends_on_the_tie() -> None:
    ask = "Hi Maya, could you introduce me to your hiring manager? What do you think?"
    assert codes(ask, FIRST)["ask_in_first_contact"] == -35
    weak = CheckContext(first_contact=False, weak=True)
    assert codes(ask, weak)["ask_to_weak_tie"] == -35
    assert codes(ask, STRONG)["ask_to_strong_tie"] == -5
    assert codes(ask)["asks_favour"] == -20
    stacked = "Could you review my CV and would you mind passing it on? Any openings?"
    assert codes(stacked, STRONG)["ask_to_strong_tie"] == -35  # four asks: -5, then -10 each
    # offers are gives, not favours
    offer = "Would you like me to introduce you to Ana? I would like you to meet her."
    assert not {"ask_in_first_contact", "asks_favour"} & set(codes(offer, FIRST))


def test_empty_openers_and_length() -> None:
    found = codes("Just checking in! Hope this finds you well.")
    assert found["empty_opener"] == -20 and "too_short" in found
    assert "good_length" in codes("Your talk on pricing was great. " * 3 + "What next?")
    assert codes("word " * 180 + "?")["long"] == -5
    assert codes("word " * 300)["too_long"] == -20
    assert check("   ").score == 0


def test_scores_stay_within_bounds_and_send_it_is_50() -> None:
    assert SEND_IT == 50
    best = check("Hi Maya, congratulations on the new role at Nordea! What drew you to it?",
                 FIRST)
    assert best.send_it and 0 <= best.score <= 100
    worst = check("I need help. Could you refer me? Would you mind? Are you hiring? my CV.",
                  FIRST)
    assert worst.score == 0 and not worst.send_it
    assert set(best.to_dict()) == {"score", "send_it", "findings"}


# -- compose ------------------------------------------------------------------------------------

names = st.text("abcdefghijklmnopqrstuvwxyzÁÉéñøßłçöİı李娜محمد", min_size=1, max_size=12)
maybe = st.one_of(st.none(), names)


@st.composite
def people(draw: st.DrawFn) -> PersonFacts:
    return PersonFacts(
        name=" ".join(draw(st.lists(names, min_size=1, max_size=3))),
        given_name=draw(maybe), title=draw(maybe), organisation=draw(maybe),
        fields=tuple(draw(st.lists(names, max_size=2))),
    )


@st.composite
def ties(draw: st.DrawFn) -> TieFacts:
    contacted = draw(st.booleans())
    return TieFacts(
        strength=draw(st.floats(0, 100)) if contacted else 0.0, contacted=contacted,
        days_since=draw(st.integers(0, 4000)) if contacted else None,
        last_month=draw(st.sampled_from([None, "March 2025"])),
        balance=draw(st.floats(-20, 20)),
        occasion=draw(st.sampled_from([None, "job_change", "birthday"])),
        new_title=draw(maybe), new_organisation=draw(maybe),
        thanks_for=draw(st.sampled_from([None, "Their view on a move", "a reference"])),
        introduce=draw(st.one_of(st.none(), st.tuples(names, names))),
    )


def never_a_favour(person: PersonFacts, tie: TieFacts, purpose: str, seed: int) -> None:
    draft = compose(person, tie, purpose, seed)
    assert draft.purpose == purpose and draft.text.endswith(("?", "."))
    assert _FAVOUR.search(draft.text) is None  # the coach never asks a favour at all
    result = check(draft.text, CheckContext.of(person, tie))
    found = {f.code for f in result.findings}
    assert not found & {"ask_in_first_contact", "ask_to_weak_tie", "asks_favour",
                        "heavy_time", "empty_opener"}
    assert "invites_sharing" in found  # every opener invites them to share
    assert result.send_it


strategy = {"person": people(), "tie": ties(), "purpose": st.sampled_from(PURPOSES),
            "seed": st.integers(0, 2**31)}


@settings(max_examples=60, deadline=None)
@given(**strategy)
def test_compose_never_asks_a_favour_of_a_weak_first_contact(
    person: PersonFacts, tie: TieFacts, purpose: str, seed: int
) -> None:
    never_a_favour(person, tie, purpose, seed)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(**strategy)
def test_compose_never_asks_a_favour_many_ledgers(
    person: PersonFacts, tie: TieFacts, purpose: str, seed: int
) -> None:
    never_a_favour(person, tie, purpose, seed)


def test_compose_wording_varies_with_the_seed() -> None:
    person = PersonFacts(name="Ana Núñez", title="Cardiologist", organisation="Hospital Clínic",
                         fields=("Medicine",))
    texts = {compose(person, TieFacts(), "learn", seed).text for seed in range(40)}
    assert len(texts) >= 4
    assert all("Ana" in t for t in texts)
    with pytest.raises(ValidationError, match="not a purpose"):
        compose(person, TieFacts(), "beg")


def test_compose_and_check_through_the_network(net: Network) -> None:
    stranger = net.add("Maya Lind", organisation="Nordea", title="Quant Developer",
                       fields=["finance"])
    draft = net.compose(stranger.id)
    assert draft.purpose == "learn"  # a first contact: learn about their work
    assert net.check(draft.text, stranger.id).send_it
    bad = net.check("Could you refer me to your hiring manager? I need a job.", stranger.id)
    assert "ask_in_first_contact" in {f.code for f in bad.findings} and not bad.send_it
    friend = net.add("Jo Kim", organisation="Acme", fields=["software"])
    for day in ("2025-01-10", "2025-02-10", "2025-03-10"):
        net.log([friend.id], when=day, channel="in_person")
    assert net.compose(friend.id).purpose == "reconnect"
    intro = net.compose(stranger.id, "intro", introduce=friend.id)
    assert "Jo Kim" in intro.text


@pytest.mark.parametrize(("name", "greeting"), [
    ("Dr. Ana Núñez", "Hi Ana,"),
    ("Núñez, Bea", "Hi Bea,"),
    ("John Smith Jr.", "Hi John,"),
    ("Prof. Dr. Hans-Peter Müller", "Hi Hans-Peter,"),
    ("Madonna", "Hi Madonna,"),
])
def test_the_greeting_uses_the_parsed_given_name(name: str, greeting: str) -> None:
    draft = compose(PersonFacts(name=name, title="Cardiologist"), TieFacts(), "learn", seed=0)
    assert draft.text.startswith(greeting)


def test_field_names_keep_the_taxonomy_spelling() -> None:
    person = PersonFacts(name="Ana Núñez", fields=("Software and IT",))
    texts = [compose(person, TieFacts(), "learn", seed=s).text for s in range(12)]
    assert any("Software and IT" in t for t in texts)
    assert not any("software and it" in t for t in texts)


@pytest.mark.parametrize("draft", [
    "could you refer me to your hiring manager? I need a job asap",
    "Hi Ana, I love your work on heart surgery at Ada Health. What got you into it? "
    "Also, is your team hiring? A referral would mean a lot.",
    "Hi Ana, your talk on cardiology was brilliant and I learned a lot from you. How did you "
    "get into the field? By the way, could you lend me some money until Friday?",
])
def test_a_job_a_referral_or_money_in_a_first_message_always_fails(draft: str) -> None:
    for ctx in (CheckContext(), CheckContext(first_contact=True, weak=True, name="Ana Núñez")):
        result = check(draft, ctx)
        assert result.score <= 20 and not result.send_it
        assert "hard_ask_in_first_message" in {f.code for f in result.findings}
    # with a strong tie the same words are an ordinary favour, judged as one
    strong = check(draft, CheckContext(first_contact=False, weak=False))
    assert "hard_ask_in_first_message" not in {f.code for f in strong.findings}


def test_talking_about_their_job_is_not_a_hard_ask() -> None:
    draft = ("Hi Ana, your work as a cardiologist at Ada Health caught my eye. How did you get "
             "into the job, and what do you wish you had known at the start?")
    result = check(draft, CheckContext(first_contact=True, weak=True, name="Ana Núñez"))
    assert result.send_it
    assert "hard_ask_in_first_message" not in {f.code for f in result.findings}


def test_their_organisation_named_like_a_scheduling_word_still_invites() -> None:
    # found by Hypothesis: an organisation called "calendar" made the question read as scheduling
    person = PersonFacts(name="a", given_name=None, title=None, organisation="calendar",
                         fields=(), tags=(), notes=None)
    tie = TieFacts(strength=0.0, contacted=False, days_since=None, last_month=None,
                   balance=0.0, occasion=None, new_title=None, new_organisation=None,
                   thanks_for=None, introduce=None)
    never_a_favour(person, tie, "thank", 0)
    text = "Hi Ana, how is your work at Calendar going?"
    codes = {f.code for f in check(text, CheckContext(organisation="Calendar")).findings}
    assert "invites_sharing" in codes
    assert "invites_sharing" not in {f.code for f in check(text).findings}
