"""A small, documented, rule-based classifier of a message's intent.

:func:`classify_intent` reads text written by one side and says whether its writer *asks*
(for help, an introduction, a referral, time), *gives* (congratulates, offers help, shares a
link or an introduction, recommends), *shares* (explains their own work or experience), or
just catches up. It keys on fixed phrases (listed below and in ``docs/import.md``), so every
result can be explained by the phrases it matched, and the user can correct it: imported
intents are marked as inferred.

Rules:

1. The text is lower-cased, curly quotes straightened and spaces collapsed.
2. Phrases of all three kinds are matched left to right, longest first, without overlaps: so
   "if you're looking for" (an offer: give) is not also read as "looking for" (ask), and
   "let me know if I can help" (give) is not read as an ask.
3. Any ask phrase makes the text an ask: an ask wrapped in congratulations or thanks is still
   a withdrawal.
4. Otherwise each give or share match scores 1 (2 for the unmistakable phrases such as
   "congratulations", "introducing you", "in my experience") and the higher score wins, ties
   going to give. No match at all is ``catch_up``.

:func:`conversation_intent` turns both sides' results into the ledger's intent.

    >>> classify_intent("Could you introduce me to someone at Acme?")[0]
    <Intent.ASK: 'ask'>
    >>> classify_intent("Congrats on the new role!")
    (<Intent.GIVE: 'give'>, ('congrats',))
"""

from __future__ import annotations

import re

from netfolio.core.enums import Intent

#: Phrases that ask for something: help, time, an introduction, a referral, advice.
ASK_PHRASES: tuple[str, ...] = (
    "could you",
    "would you be able",
    "would you be open to",
    "would you be willing",
    "would you mind",
    "can you help",
    "could you help",
    "can you please",
    "can i ask",
    "may i ask",
    "looking for",
    "any chance",
    "is there any way",
    "introduce me",
    "an intro to",
    "intro to",
    "connect me with",
    "put me in touch",
    "refer me",
    "a referral",
    "put in a good word",
    "pick your brain",
    "do you know anyone",
    "do you know someone",
    "do you know of",
    "need your help",
    "need some help",
    "need help",
    "help me",
    "a favour",
    "a favor",
    "your advice",
    "any advice",
    "any tips",
    "your thoughts on",
    "are you hiring",
    "open roles",
    "open positions",
    "job opening",
    "hop on a call",
    "jump on a call",
    "quick call",
    "15 minutes",
    "20 minutes",
    "30 minutes",
)

#: Phrases that give: congratulations, offers of help, links, introductions, recommendations.
GIVE_PHRASES: tuple[str, ...] = (
    "congrat",
    "happy to help",
    "glad to help",
    "happy to introduce",
    "let me know if i can help",
    "let me know if there's anything",
    "if there's anything i can do",
    "if you need anything",
    "if you're looking for",
    "if you are looking for",
    "if you're ever looking for",
    "thought you'd like",
    "thought you would like",
    "thought you might like",
    "thought you'd enjoy",
    "thought you might enjoy",
    "thought of you",
    "you might find this useful",
    "you may find this useful",
    "might be useful",
    "might interest you",
    "introducing you",
    "let me introduce",
    "i'd like to introduce",
    "i'd love to introduce",
    "i introduced you",
    "put you in touch",
    "passed your name",
    "here's the link",
    "here is the link",
    "here's the article",
    "recommend you",
    "recommended you",
    "i'd recommend",
    "i recommend",
    "i can recommend",
    "endorsed you",
    "happy birthday",
    "well deserved",
    "well-deserved",
    "proud of you",
    "great news",
    "sharing this with you",
)

#: Phrases of someone explaining their own work or experience.
SHARE_PHRASES: tuple[str, ...] = (
    "in my experience",
    "what we learned",
    "what i learned",
    "what i've learned",
    "lessons we learned",
    "lesson we learned",
    "we found that",
    "i found that",
    "what worked for us",
    "what worked for me",
    "the way we do it",
    "the way we did it",
    "here's how we",
    "here is how we",
    "at my company we",
    "on my team we",
    "our approach",
    "my approach",
    "we've been working on",
    "i've been working on",
    "i'm working on",
    "we're building",
    "we are building",
    "the trick is",
    "the key is",
    "from my side",
    "when i was at",
    "when we launched",
    "we ended up",
)

#: Phrases that are unmistakable and count double.
STRONG_PHRASES: frozenset[str] = frozenset(
    {
        "introduce me",
        "refer me",
        "pick your brain",
        "a favour",
        "a favor",
        "can you help",
        "could you help",
        "congrat",
        "happy birthday",
        "introducing you",
        "let me introduce",
        "in my experience",
        "what we learned",
    }
)

_KIND: dict[str, Intent] = {}
for _phrases, _intent in (
    (ASK_PHRASES, Intent.ASK),
    (GIVE_PHRASES, Intent.GIVE),
    (SHARE_PHRASES, Intent.SHARE),
):
    for _p in _phrases:
        _KIND.setdefault(_p, _intent)

#: Phrases that match as word prefixes ("congrat" in "congrats", "congratulations").
PREFIX_PHRASES: frozenset[str] = frozenset({"congrat"})

_PATTERN = re.compile(
    r"(?<![a-z'])(?:"
    + "|".join(
        re.escape(p) + (r"[a-z]*" if p in PREFIX_PHRASES else r"(?![a-z])")
        for p in sorted(_KIND, key=len, reverse=True)
    )
    + r")"
)
_SPACES = re.compile(r"\s+")
#: Only this much of a text is read (messages are short; a pasted document is not a message).
MAX_CHARS = 20_000


def _clean(text: str) -> str:
    text = text[:MAX_CHARS].lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return _SPACES.sub(" ", text)


def classify_intent(text: str | None) -> tuple[Intent, tuple[str, ...]]:
    """The writer's intent (ask, give, share or catch_up) and the phrases it matched, in order.

    "congrat" matches "congrats" and "congratulations" alike: phrases match at word starts.
    """
    if not text:
        return Intent.CATCH_UP, ()
    scores = {Intent.ASK: 0, Intent.GIVE: 0, Intent.SHARE: 0}
    matched: list[str] = []
    for m in _PATTERN.finditer(_clean(text)):
        found = m.group(0)
        phrase = found if found in _KIND else next(p for p in PREFIX_PHRASES if found.startswith(p))
        scores[_KIND[phrase]] += 2 if phrase in STRONG_PHRASES else 1
        matched.append(found)
    if scores[Intent.ASK]:
        winner = Intent.ASK
    elif scores[Intent.GIVE] or scores[Intent.SHARE]:
        winner = Intent.GIVE if scores[Intent.GIVE] >= scores[Intent.SHARE] else Intent.SHARE
    else:
        return Intent.CATCH_UP, ()
    return winner, tuple(dict.fromkeys(matched))


def conversation_intent(
    mine: tuple[Intent, tuple[str, ...]], theirs: tuple[Intent, tuple[str, ...]]
) -> tuple[Intent, tuple[str, ...]]:
    """The ledger intent of an exchange from what the user wrote and what the other side wrote.

    In order: the user asked → ``ask``; they asked → ``asked_of_me``; the user gave → ``give``;
    they gave → ``received``; either side shared → ``share``; else ``catch_up``.
    """
    my_intent, my_phrases = mine
    their_intent, their_phrases = theirs
    if my_intent is Intent.ASK:
        return Intent.ASK, my_phrases
    if their_intent is Intent.ASK:
        return Intent.ASKED_OF_ME, their_phrases
    if my_intent is Intent.GIVE:
        return Intent.GIVE, my_phrases
    if their_intent is Intent.GIVE:
        return Intent.RECEIVED, their_phrases
    if their_intent is Intent.SHARE:
        return Intent.SHARE, their_phrases
    if my_intent is Intent.SHARE:
        return Intent.SHARE, my_phrases
    return Intent.CATCH_UP, ()


__all__ = [
    "ASK_PHRASES",
    "GIVE_PHRASES",
    "PREFIX_PHRASES",
    "SHARE_PHRASES",
    "STRONG_PHRASES",
    "classify_intent",
    "conversation_intent",
]
