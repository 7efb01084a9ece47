"""The outreach coach: openers that invite the other person to share, and a check of a draft.

One idea, made mechanical: people you don't know well don't want to talk to you,
they want to share with you; a first contact is for meeting, not for asking. :func:`compose`
writes a short opener from what the ledger knows (their title, organisation, field, the time
since you last spoke) that ends in a question about *their* work, never a request for a favour.
:func:`check` scores any draft 0-100 with rule-based, specific findings (see ``docs/coach.md``
for every rule and weight); 50 and above means "send it".

    >>> draft = compose(PersonFacts(name="Ana Núñez", title="Cardiologist"), TieFacts(),
    ...                 "learn", seed=1)
    >>> check(draft.text, CheckContext(first_contact=True, weak=True)).score >= 50
    True
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from netfolio.core.shapes import Plain
from netfolio.errors import ValidationError

#: Why you are writing; each has its own openers.
PURPOSES: tuple[str, ...] = ("learn", "reconnect", "congratulate", "thank", "intro")
#: Tie strength below which a tie counts as weak (the 500 layer and beyond, roughly).
WEAK_TIE = 30.0
#: 50 and above means "send it".
SEND_IT = 50
#: The highest score of a first message that asks for a job, a referral or money.
HARD_ASK_CAP = 20


@dataclass(frozen=True)
class PersonFacts:
    """What the ledger knows about the person you are writing to (fields: display names)."""

    name: str
    given_name: str | None = None
    title: str | None = None
    organisation: str | None = None
    fields: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None

    @property
    def first_name(self) -> str:
        """The name to greet them by: the given name, else the given name parsed from the full
        name with nameparser (titles, suffixes and "Family, Given" understood)."""
        if self.given_name and self.given_name.strip():
            return self.given_name.strip()
        return given_name_of(self.name) or "there"


def given_name_of(name: str) -> str:
    """The given name inside a full name: "Dr. Ana Núñez" → "Ana", "Núñez, Bea" → "Bea",
    "John Smith Jr." → "John" (nameparser, a parser made for human names)."""
    from nameparser import HumanName

    text = " ".join(name.split())
    if not text:
        return ""
    parsed = HumanName(text)
    return str(parsed.first) or str(parsed.last) or text.split()[0]


@dataclass(frozen=True)
class TieFacts:
    """What the ledger says about the tie: contact so far, strength, and the occasion.

    ``occasion`` is ``"job_change"`` (with ``new_title``/``new_organisation``),
    ``"birthday"`` or None; ``thanks_for`` names what they did for you (a fulfilled ask);
    ``introduce`` is ``(name, shared interest)`` of someone in your network they should meet.
    """

    strength: float = 0.0
    contacted: bool = False
    days_since: int | None = None
    last_month: str | None = None
    balance: float = 0.0
    occasion: str | None = None
    new_title: str | None = None
    new_organisation: str | None = None
    thanks_for: str | None = None
    introduce: tuple[str, str] | None = None

    @property
    def first_contact(self) -> bool:
        return not self.contacted

    @property
    def weak(self) -> bool:
        return self.strength < WEAK_TIE


@dataclass(frozen=True)
class Draft(Plain):
    """An opener: its purpose and text (a starting point: make it yours)."""

    purpose: str
    text: str
    person: str


@dataclass(frozen=True)
class CheckContext:
    """What :func:`check` knows of the recipient; None means unknown.

    ``first_contact``: you have never been in touch; ``weak``: a weak tie. The names let the
    check see whether the draft is specific to them.
    """

    first_contact: bool | None = None
    weak: bool | None = None
    name: str | None = None
    given_name: str | None = None
    organisation: str | None = None
    title: str | None = None
    fields: tuple[str, ...] = ()

    @classmethod
    def of(cls, person: PersonFacts, tie: TieFacts) -> CheckContext:
        return cls(first_contact=tie.first_contact, weak=tie.weak, name=person.name,
                   given_name=person.given_name, organisation=person.organisation,
                   title=person.title, fields=person.fields)


@dataclass(frozen=True)
class Finding(Plain):
    """One rule's verdict on a draft: a code, the points it added, and what to do."""

    code: str
    points: int
    message: str
    json_extra = ("kind",)

    @property
    def kind(self) -> str:
        return "good" if self.points > 0 else "fix" if self.points < 0 else "note"


@dataclass(frozen=True)
class CheckResult(Plain):
    """A draft's score (0-100; 50+ means send it) and the findings behind it."""

    score: int
    findings: list[Finding] = field(default_factory=list)
    json_extra = ("send_it",)

    @property
    def send_it(self) -> bool:
        return self.score >= SEND_IT


# -- compose ------------------------------------------------------------------------------------

_LEARN = (
    "Hi {first}, {work} caught my eye. How did you get into {topic}, and what do you wish "
    "more people understood about it?",
    "Hi {first}, I keep coming across {work}. What is the most interesting problem you are "
    "working on these days?",
    "Hi {first}, you clearly know {topic} well. What is one thing you have learned recently that "
    "changed how you work?",
    "Hi {first}, I have been reading about {topic} and thought of you and {work}. What are you "
    "most excited about in it right now?",
    "Hi {first}, {work} looks fascinating from the outside. What does a good week look like "
    "for you, and what surprised you most when you started?",
)
_RECONNECT = (
    "Hi {first}, it has been {gap} since we last spoke{when}, and you came to mind today. What "
    "are you working on these days{at}?",
    "Hi {first}, {gap} already since we last talked{when}! I would love to hear how {work} has "
    "been going. What has changed for you since then?",
    "Hi {first}, I was thinking of you and realised it has been {gap} since we last spoke{when}. "
    "What has been the highlight of your year so far?",
    "Hi {first}, it has been far too long: {gap} since we last spoke{when}. How are things{at}, "
    "and what are you most looking forward to?",
)
_JOB = (
    "Hi {first}, congratulations on the new role{new_role}! What drew you to it, and what are "
    "you most looking forward to?",
    "Congratulations, {first}! {new_org_cap} is lucky to have you. What will you be focusing on "
    "first in the new role?",
    "Hi {first}, I just saw the news{new_role}: congratulations! How are the first weeks going, "
    "and what surprised you so far?",
)
_BIRTHDAY = (
    "Happy birthday, {first}! I hope the year ahead is a great one. What are you most looking "
    "forward to this year?",
    "Hi {first}, happy birthday! I hope you get to celebrate properly. What is on your mind for "
    "the year ahead?",
)
_CONGRATULATE = (
    "Hi {first}, congratulations on everything you have been building{at}. What has been the "
    "most rewarding part for you?",
    "Hi {first}, I have been following {work} and wanted to say: well done. What are you "
    "proudest of from the past year?",
)
_THANK = (
    "Hi {first}, thank you again for {thanks}. It made a real difference. How are things on "
    "your side: what are you focused on these days?",
    "Hi {first}, a quick thank-you for {thanks}: it helped more than you know. If there is "
    "anything I can do for you, just say. How is {work} going?",
    "Hi {first}, I wanted to tell you how much {thanks} helped, so thank you. What are you "
    "working on at the moment? I would love to return the favour.",
)
_INTRO = (
    "Hi {first}, you and {other} both care about {interest}, and I think you would enjoy "
    "comparing notes. Would you like me to introduce you? What are you exploring in "
    "{interest} these days?",
    "Hi {first}, I know someone you might like to meet: {other}, who is deep into {interest} "
    "too. Happy to introduce you if you are interested. What is keeping you busy in "
    "{interest} at the moment?",
)


def _months_or_years(days: int | None) -> str:
    if days is None or days < 45:
        return "a few weeks"
    if days < 330:
        return f"about {max(2, round(days / 30.4))} months"
    if days < 550:
        return "about a year"
    return f"about {round(days / 365.25)} years"


def _lower_first(text: str) -> str:
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _slots(person: PersonFacts, tie: TieFacts) -> dict[str, str]:
    title, org = (person.title or "").strip(), (person.organisation or "").strip()
    # field names as the taxonomy writes them ("Software and IT"), never lower-cased
    topic = person.fields[0] if person.fields else (_lower_first(title) or "your field")
    if title and org:
        work = f"your work as {title} at {org}"
    elif title:
        work = f"your work as {title}"
    elif org:
        work = f"your work at {org}"
    elif person.fields:
        work = f"your work in {topic}"
    else:
        work = "your work"
    new_title = (tie.new_title or "").strip()
    new_org = (tie.new_organisation or "").strip()
    new_role = (f" as {new_title} at {new_org}" if new_title and new_org
                else f" as {new_title}" if new_title else f" at {new_org}" if new_org else "")
    other, interest = tie.introduce or ("a friend of mine", topic)
    return {
        "first": person.first_name,
        "topic": topic,
        "work": work,
        "at": f" at {org}" if org else "",
        "gap": _months_or_years(tie.days_since),
        "when": f" in {tie.last_month}" if tie.last_month else "",
        "new_role": new_role,
        "new_org_cap": new_org or (org or "Your new team"),
        "thanks": re.sub(r"^their ", "your ", _lower_first(tie.thanks_for or "your help")),
        "other": other,
        "interest": interest or topic,
    }


def compose(person: PersonFacts, tie: TieFacts, purpose: str, seed: int = 0) -> Draft:
    """A short opener for ``purpose`` (one of :data:`PURPOSES`), worded from ``seed``.

    Every opener ends in a question about the other person's work or experience, and none
    asks a favour (the coach never does: a favour belongs to ask mode, with a strong tie).
    """
    if purpose not in PURPOSES:
        raise ValidationError(f"{purpose!r} is not a purpose; choose one of: {', '.join(PURPOSES)}")
    templates: tuple[str, ...]
    if purpose == "learn":
        templates = _LEARN
    elif purpose == "reconnect":
        templates = _RECONNECT if tie.contacted else _LEARN
    elif purpose == "congratulate":
        templates = (_JOB if tie.occasion == "job_change" else
                     _BIRTHDAY if tie.occasion == "birthday" else _CONGRATULATE)
    elif purpose == "thank":
        templates = _THANK
    else:
        templates = _INTRO if tie.introduce else _LEARN
    text = random.Random(seed).choice(templates).format(**_slots(person, tie))
    return Draft(purpose=purpose, text=re.sub(r"\s+", " ", text).strip(), person=person.name)


# -- check --------------------------------------------------------------------------------------

class _Lazy:
    """A regular expression compiled on first use: compiling the coach's patterns costs 50 ms,
    which every command would pay at start-up."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self.compiled.findall(text)


_WORD = _Lazy(r"[a-z]+(?:['’][a-z]+)?")
_YOU = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll"})
_ME = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})
_WH = _Lazy(r"\b(what|how|why|which|where|when|who|curious)\b", re.I)
#: A question about a slot in the calendar is not an invitation to share.
_SCHEDULING = _Lazy(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|this week|"
    r"tomorrow|free|available|availability|calendar|schedule|what time|when can|"
    r"when are you|when would|does \w+ \w* ?look|works? for you)\b", re.I)

EMPTY_OPENERS: tuple[str, ...] = (
    "just checking in", "just wanted to check in", "checking in", "hope this finds you well",
    "hope this email finds you well", "hope this message finds you well",
    "hope you're doing well", "hope you are doing well", "hope all is well", "hope you are well",
    "hope you're well", "touching base", "touch base", "circling back", "just following up",
    "following up on my", "quick question", "i'm reaching out", "i am reaching out",
    "sorry to bother", "i know you're busy", "i know you are busy", "to whom it may concern",
    "dear sir or madam", "i hope you don't mind",
)

_FAVOUR = _Lazy(
    "|".join((
        r"\b(?:could|can|would|will) you (?:please |kindly |possibly )?(?:help|introduce|refer|"
        r"recommend me|connect me|forward|review|look over|look at my|put in a (?:good )?word|"
        r"pass (?:along|on)|send me|get me|hire|sponsor|fund|invest|endorse|mentor me|"
        r"share (?:my|this with)|vouch|make an? introduction|find me|lend|cover)",
        r"\b(?:introduce|refer|recommend|connect) me\b",
        r"\bput me in touch\b",
        r"\bhelp me (?:find|get|land|with|out|review|reach)\b",
        r"\b(?:could|can|would) you spare\b",
        r"\bmy (?:cv|resume|résumé|portfolio|pitch deck|deck)\b",
        r"\bany (?:job )?openings\b",
        r"\bare you hiring\b",
        r"\b(?:do|ask) (?:me |you )?(?:for )?a (?:small |quick |big )?favou?r\b",
        r"\bi need (?:your |some )?help\b",
        r"\bi(?:'d| would) (?:really |so )?appreciate (?:it if you|your help|any help)\b",
        r"\bwondering if you could\b",
        r"\bwould you mind\b",
        r"\bwould you be (?:able|willing|open) to\b",
        r"\b(?:if )?you would be (?:able|willing|open) to\b",
        r"\bi(?:'d| would)? (?:like|want|need) you to\b(?! meet\b)",
        r"\bany chance you could\b",
        r"\bi(?:'m| am) (?:currently )?looking for (?:a |an |my next )?(?:new )?(?:job|role|"
        r"position|investors?|funding|introductions?|referrals?)\b",
        r"\b(?:check out|try|buy|sign up for|subscribe to|invest in) (?:my|our) (?:product|"
        r"startup|app|service|course|newsletter|company|round)\b",
        r"\bin return\b",
    )),
    re.I,
)

#: Asks for a job, a referral or money: never in a first message, whatever else it says.
_HARD_ASK = _Lazy(
    "|".join((
        r"\b(?:refer|recommend) me\b",
        r"\breferrals?\b",
        r"\bhiring managers?\b",
        r"\bhire me\b",
        r"\b(?:i|we) (?:really |urgently )?(?:need|want|am looking for|'m looking for) (?:a |an |"
        r"some |my next )?(?:new )?(?:job|role|position|work|money|cash|loan|funding|investment)\b",
        r"\b(?:find|get|land) me (?:a |an )?(?:job|role|position|interview)\b",
        r"\bany (?:job )?openings?\b",
        r"\b(?:are|is) (?:you|your team|your company) hiring\b",
        r"\b(?:lend|loan|give|send|wire|transfer) me (?:some |a little )?(?:money|cash|funds|"
        r"[$€£]\s?\d)",
        r"\b(?:borrow|donate|donation|invest in (?:my|our)|fund (?:my|our|me|us)|"
        r"sponsor (?:me|my|us|our))\b",
    )),
    re.I,
)

_NUMBER = {"a few": 5, "few": 5, "a couple of": 2, "couple of": 2, "two": 2, "three": 3,
           "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45,
           "sixty": 60, "ninety": 90}
_MINUTES = _Lazy(
    r"\b(\d{1,3}|a few|few|a couple of|couple of|five|ten|fifteen|twenty|thirty|forty-five|"
    r"sixty|ninety)[ -]?(?:min|mins|minutes|minute)\b", re.I)
_HEAVY = _Lazy(
    r"\b(?:(?<!half )an hour|one hour|(?:\d+|two|three|a couple of|few) hours|half a day|"
    r"a full day|an afternoon|all day|a day of your time|lunch|dinner|a workshop|a weekend)\b",
    re.I)
_MEDIUM = _Lazy(r"\b(?:half an hour|half-hour|an? half hour)\b", re.I)
_OPEN_TIME = _Lazy(
    r"\b(?:(?:a|quick|short) (?:call|chat|coffee|meeting|zoom)|grab (?:a )?coffee|meet up|"
    r"get on a call|hop on a call|jump on a call|set up a (?:call|meeting)|schedule a "
    r"(?:call|meeting))\b", re.I)
_GIVE = _Lazy(
    r"\b(?:congratulations|congrats|thank you|thanks|thought of you|happy birthday|"
    r"happy to (?:introduce|help|share)|introduce you|sharing (?:this|an?)|here is an?|"
    r"i (?:can|could) (?:introduce|help|share)|if (?:there is|there's) anything i can)\b", re.I)
_PICK_BRAIN = _Lazy(r"\bpick your brain\b|\bhear (?:about|how) you\b|\blearn from you\b",
                         re.I)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _specific(text: str, ctx: CheckContext) -> bool:
    """Does the draft name something of theirs: their name, organisation, title or field?"""
    lowered = text.lower()
    names = [ctx.given_name or "", *(ctx.name or "").split()[:1], ctx.organisation or "",
             *(ctx.fields or ())]
    names += [w for w in (ctx.title or "").split() if len(w) > 3]
    if any(n and n.lower() in lowered for n in names):
        return True
    if ctx.name is None and ctx.organisation is None:
        # no context: a proper noun inside a sentence is a fair sign of something specific
        for sentence in _sentences(text):
            words = sentence.split()[1:]
            if any(w[:1].isupper() and w.strip(",.!?:;") not in ("I", "I'm", "I've", "I'd")
                   for w in words):
                return True
    return False


def _time_asked(text: str) -> tuple[str, str] | None:
    """The size of the time asked: ("small"|"medium"|"heavy"|"open", the words found)."""
    if m := _HEAVY.search(text):
        return "heavy", m.group(0)
    if m := _MEDIUM.search(text):
        return "medium", m.group(0)
    for m in _MINUTES.finditer(text):
        raw = m.group(1).lower()
        minutes = int(raw) if raw.isdigit() else _NUMBER.get(raw, 5)
        size = "small" if minutes <= 20 else "medium" if minutes <= 40 else "heavy"
        return size, m.group(0)
    if m := _OPEN_TIME.search(text):
        return "open", m.group(0)
    return None


def _their_names_masked(text: str, ctx: CheckContext) -> str:
    """``text`` with their organisation and title blanked: "your work at Calendar" is not
    scheduling, "Help Desk" not a favour."""
    for name in (ctx.organisation, ctx.title):
        if name and name.strip():
            text = re.sub(re.escape(name.strip()), "X", text, flags=re.I)
    return text


def _invitation(text: str, ctx: CheckContext) -> Finding:
    """1. An invitation to share: a question about their work or experience."""
    questions = [s for s in _sentences(text) if s.endswith("?")]
    inviting = [q for q in questions
                if not _FAVOUR.search(m := _their_names_masked(q, ctx))
                and not _SCHEDULING.search(m)
                and _WH.search(q) and set(_WORD.findall(q.lower())) & _YOU]
    if inviting or _PICK_BRAIN.search(text):
        sample = inviting[0] if inviting else _PICK_BRAIN.search(text).group(0)  # type: ignore[union-attr]
        return Finding("invites_sharing", 25,
                       f"Invites them to share their experience: “{sample}”")
    if any(not _FAVOUR.search(q) and not _SCHEDULING.search(q) for q in questions):
        return Finding(
            "closed_question", 8,
            "A question, but a yes/no one or not about them: ask what they think or how they "
            "work (“What are you most excited about in ...?”).")
    return Finding(
        "no_invitation", -10,
        "Nothing invites them to share: end with a question about their work, e.g. "
        "“How did you get into ...?” or “What surprised you most about ...?”")


def _focus(words: list[str]) -> Finding:
    """2. You-focus: second person against first person."""
    you = sum(w in _YOU for w in words)
    me = sum(w in _ME for w in words)
    if you == 0:
        return Finding("no_you", -15, "The draft never says “you” or “your”: make it about them.")
    if you >= me:
        return Finding("you_focus", 10, f"About them: {you} × you/your against {me} × I/me/my.")
    if me > 2 * you:
        return Finding(
            "self_focus", -15,
            f"Mostly about you: {me} × I/me/my against {you} × you/your. Turn sentences "
            "around: “your work on ...” instead of “I am working on ...”.")
    return Finding("balanced_focus", 0,
                   f"{me} × I/me/my against {you} × you/your: one more sentence "
                   "about them would help.")


def _specificity(text: str, ctx: CheckContext) -> Finding:
    """3. Something specific to them."""
    if _specific(text, ctx):
        return Finding("specific", 10, "Specific: it names them, their work or their field.")
    return Finding("generic", 0,
                   "Generic: mention their work, organisation or field so it "
                   "could only be for them.")


def _give(text: str) -> Finding | None:
    """4. A give: thanks, congratulations, an offer."""
    if m := _GIVE.search(text):
        return Finding("gives", 5, f"Gives something: “{m.group(0)}”.")
    return None


def _favour(text: str, ctx: CheckContext) -> Finding | None:
    """5. A favour, judged by who it goes to."""
    favours = [m.group(0) for m in _FAVOUR.finditer(text)]
    if not favours:
        return None
    asked = "”, “".join(favours)
    # several asks in one message weigh more than one: -10 for each after the first
    stacked = -10 * (len(favours) - 1)
    if ctx.first_contact:
        return Finding(
            "ask_in_first_contact", -35 + stacked,
            f"Asks a favour (“{asked}”) in a first contact. Meet them first: invite them "
            "to share, and keep the ask for when you have built a relationship.")
    if ctx.weak:
        return Finding(
            "ask_to_weak_tie", -35 + stacked,
            f"Asks a favour (“{asked}”) of a weak tie. Build first: a few gives and "
            "conversations before an ask.")
    if ctx.weak is False:
        return Finding(
            "ask_to_strong_tie", -5 + stacked,
            f"Asks a favour (“{asked}”): fine with a strong tie; make it easy to say no.")
    return Finding(
        "asks_favour", -20 + stacked,
        f"Asks a favour (“{asked}”). Unless you know them well, build first.")


def _time(text: str, ctx: CheckContext) -> Finding | None:
    """6. The size of the time asked (weighed more for someone you barely know)."""
    size = _time_asked(text)
    if size is None:
        return None
    kind, said = size
    newish = bool(ctx.first_contact or ctx.weak)
    if kind == "small":
        return Finding("small_time", 0, f"A small ask of time (“{said}”): easy to say yes to.")
    if kind == "medium":
        return Finding("medium_time", -5 if not newish else -10,
                       f"“{said}” is a real ask of time: 15 minutes is easier to say yes to.")
    if kind == "heavy":
        return Finding("heavy_time", -15 if not newish else -25,
                       f"“{said}” is a heavy ask of time"
                       + (" for someone you barely know" if newish else "")
                       + ": offer 15 minutes, or a question they can answer by message.")
    return Finding("open_time", -3, f"“{said}” with no length: say how long "
                   "(15 minutes is easy to say yes to).")


def _empty_openers(text: str) -> Finding | None:
    """7. Empty openers (one inside another counts once)."""
    lowered = text.lower().replace("’", "'")
    empties = [e for e in EMPTY_OPENERS if e in lowered]
    empties = [e for e in empties if not any(e != o and e in o for o in empties)]
    if not empties:
        return None
    return Finding(
        "empty_opener", -10 * min(2, len(empties)),
        "Empty opener" + ("s" if len(empties) > 1 else "") + ": "
        + ", ".join(f"“{e}”" for e in empties)
        + ". Open with something about them instead.")


def _length(n_words: int) -> Finding:
    """8. Length: short enough to read and answer on a phone."""
    if n_words < 12:
        return Finding("too_short", -10, f"{n_words} words: too short to say why "
                       "them; add a sentence about their work.")
    if n_words <= 140:
        return Finding("good_length", 5, f"{n_words} words: short enough to read "
                       "and answer on a phone.")
    if n_words <= 220:
        return Finding("long", -5, f"{n_words} words: trim to the three or four "
                       "sentences that matter.")
    return Finding("too_long", -20, f"{n_words} words: far too long for an "
                   "opener; cut to three to five sentences.")


def check(draft: str, context: CheckContext | None = None) -> CheckResult:
    """Score a draft 0-100 with specific findings; 50 and above means "send it".

    The rules and their points are documented in ``docs/coach.md``. Start from 40; add for an
    invitation to share, a focus on them, something specific and a give; take away for a
    favour asked of someone you have not built with, a heavy ask of time, empty openers, and
    a draft too short or too long.
    """
    ctx = context or CheckContext()
    text = " ".join(draft.split())  # line breaks inside a paragraph are not sentence ends
    if not text:
        return CheckResult(0, [Finding("empty", -40, "The draft is empty.")])
    words = _WORD.findall(text.lower().replace("’", "'"))
    found = (
        _invitation(text, ctx),  # 1. an invitation to share
        _focus(words),  # 2. you-focus
        _specificity(text, ctx),  # 3. something specific to them
        _give(text),  # 4. a give
        _favour(text, ctx),  # 5. a favour, judged by who it goes to
        _time(text, ctx),  # 6. the size of the time asked
        _empty_openers(text),  # 7. empty openers
        _length(len(words)),  # 8. length
    )
    findings = [f for f in found if f is not None]
    score = max(0, min(100, 40 + sum(f.points for f in findings)))
    # 9. a job, a referral or money asked in a first message: never "send it"
    if ctx.first_contact is not False and (hard := _HARD_ASK.search(text)):
        fail = min(0, HARD_ASK_CAP - score)
        findings.append(Finding(
            "hard_ask_in_first_message", fail,
            f"Asks for a job, a referral or money (“{hard.group(0)}”) in what may be a first "
            "message: that always fails. Meet them first; ask only a strong tie, later."))
        score = max(0, score + fail)
    return CheckResult(score, findings)


__all__ = [
    "EMPTY_OPENERS",
    "PURPOSES",
    "SEND_IT",
    "WEAK_TIE",
    "CheckContext",
    "CheckResult",
    "Draft",
    "Finding",
    "PersonFacts",
    "TieFacts",
    "check",
    "compose",
    "introduction_request",
]


# -- asking an introducer -----------------------------------------------------------------------


def introduction_request(
    *, introducer: str, target: str, final: str, organisation: str = "", title: str = "",
    need: str = "",
) -> str:
    """A message asking ``introducer`` to introduce you to ``target`` (who knows ``final``,
    the person matching the need, on a two-step path): small, easy to decline, with a give
    back. A starting point: make it yours.

    >>> introduction_request(introducer="Ana Núñez", target="Bo Li", final="Bo Li",
    ...                      organisation="Stripe", need="payments")[:40]
    'Hi Ana, I could use some advice on payme'
    """
    first = introducer.split()[0] if introducer.split() else introducer
    role = " at ".join(p for p in (title, organisation) if p)
    about = f"{final} ({role})" if role else final
    if target != final:
        about = f"{target}, who knows {about}"
    topic = _lower_first(need.strip().rstrip(".?!"))
    for lead in ("advice on ", "advice about ", "help with ", "help ", "someone who ",
                 "anyone who ", "who knows ", "looking for ", "i need "):
        if topic.casefold().startswith(lead):
            topic = topic[len(lead):]
    topic = topic or "their work"
    return (f"Hi {first}, I could use some advice on {topic}, and I saw that you know "
            f"{about}. Would you be comfortable introducing us? A short note is plenty, and "
            "no worries at all if the timing is wrong. And is there anything you are working "
            "on at the moment where I could help?")
