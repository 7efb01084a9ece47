"""The rule-based intent classifier, on labelled messages."""

from __future__ import annotations

import pytest

from netfolio.core.enums import Intent
from netfolio.io.intent import (
    ASK_PHRASES,
    GIVE_PHRASES,
    SHARE_PHRASES,
    classify_intent,
    conversation_intent,
)

ASK, GIVE, SHARE, CATCH_UP = Intent.ASK, Intent.GIVE, Intent.SHARE, Intent.CATCH_UP

#: Invented but realistic messages, labelled by hand with the writer's intent.
LABELLED: list[tuple[str, Intent]] = [
    ("Could you introduce me to someone on the data team at Northwind?", ASK),
    ("Would you be able to review my CV this week?", ASK),
    ("Hi! I'm looking for a new role in fintech, any leads?", ASK),
    ("Any chance you'd have 15 minutes for a quick call on Friday?", ASK),
    ("I'd love to pick your brain about pricing for B2B software.", ASK),
    ("Can you help me get my visa paperwork right? You went through it last year.", ASK),
    ("Do you know anyone who hires illustrators in Lisbon?", ASK),
    ("Would you mind refer me for the analyst opening? Happy to send details.", ASK),
    ("Are you hiring? I saw the open roles page and applied.", ASK),
    ("Quick favour: could you share the deck from your talk?", ASK),
    ("Congratulations on the new job, well deserved!", GIVE),
    ("Congrats on the launch!!", GIVE),
    ("Happy to help with that, send it over.", GIVE),
    ("Thought you'd like this article on urban farming.", GIVE),
    ("Introducing you to Mei, who runs the design guild at Blue Harbor.", GIVE),
    ("Here's the link to the grant I mentioned: https://grants.example/apply", GIVE),
    ("If you're looking for a good accountant, I recommend Priya.", GIVE),
    ("Happy birthday! Hope the year treats you well.", GIVE),
    ("Let me know if I can help in any way with the move.", GIVE),
    ("I recommended you for the panel; they will be in touch.", GIVE),
    ("In my experience the second year is the hardest; hire slowly.", SHARE),
    ("What we learned from the pilot is that nurses want fewer alerts, not smarter ones.", SHARE),
    ("The way we did it at my last company was a weekly demo, no slides.", SHARE),
    ("I've been working on a compiler for spreadsheets, it's been fun.", SHARE),
    ("What worked for us was pricing per seat, not per project.", SHARE),
    ("How are you? Long time no see!", CATCH_UP),
    ("Great to see you at the reunion last night.", CATCH_UP),
    ("Thanks, you too! Enjoy the holidays.", CATCH_UP),
    ("Looking forward to catching up next month.", CATCH_UP),
    ("Ha, that photo is brilliant.", CATCH_UP),
]


def test_classifier_accuracy_on_labelled_messages() -> None:
    correct = [classify_intent(text)[0] == label for text, label in LABELLED]
    assert len(LABELLED) == 30
    assert sum(correct) / len(correct) >= 0.9, [
        (text, classify_intent(text))
        for (text, _), ok in zip(LABELLED, correct, strict=True)
        if not ok
    ]


@pytest.mark.parametrize("label", [ASK, GIVE, SHARE, CATCH_UP])
def test_every_class_is_recognised(label: Intent) -> None:
    texts = [t for t, lab in LABELLED if lab is label]
    assert sum(classify_intent(t)[0] is label for t in texts) >= len(texts) - 1


def test_matched_phrases_explain_the_result() -> None:
    assert classify_intent("Could you introduce me to Ana?") == (ASK, ("could you", "introduce me"))
    assert classify_intent("Congratulations!") == (GIVE, ("congratulations",))
    assert classify_intent("") == (CATCH_UP, ())
    assert classify_intent(None) == (CATCH_UP, ())


def test_longer_phrases_win_over_the_shorter_ones_inside_them() -> None:
    assert classify_intent("If you're looking for a designer, ping me")[0] is GIVE
    assert classify_intent("Let me know if I can help")[0] is GIVE
    assert classify_intent("Looking forward to it")[0] is CATCH_UP


def test_any_ask_makes_an_ask() -> None:
    intent, phrases = classify_intent("Congrats! Could you send me the recording?")
    assert intent is ASK and set(phrases) == {"congrats", "could you"}


def test_curly_apostrophes_and_case() -> None:
    assert classify_intent("THOUGHT YOU\u2019D LIKE THIS")[0] is GIVE


def test_conversation_intent_from_both_sides() -> None:
    mine_ask = (ASK, ("could you",))
    theirs_ask = (ASK, ("refer me",))
    mine_give = (GIVE, ("congrats",))
    theirs_give = (GIVE, ("happy to help",))
    theirs_share = (SHARE, ("in my experience",))
    nothing = (CATCH_UP, ())
    assert conversation_intent(mine_ask, theirs_give) == mine_ask
    assert conversation_intent(nothing, theirs_ask) == (Intent.ASKED_OF_ME, ("refer me",))
    assert conversation_intent(mine_give, nothing) == mine_give
    assert conversation_intent(nothing, theirs_give) == (Intent.RECEIVED, ("happy to help",))
    assert conversation_intent(nothing, theirs_share) == theirs_share
    assert conversation_intent(nothing, nothing) == nothing


def test_phrase_lists_do_not_overlap() -> None:
    assert not set(ASK_PHRASES) & set(GIVE_PHRASES)
    assert not set(ASK_PHRASES) & set(SHARE_PHRASES)
    assert not set(GIVE_PHRASES) & set(SHARE_PHRASES)
