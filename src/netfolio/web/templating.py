"""The Jinja environment: autoescaping on, and the few filters the templates share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from netfolio.web.charts import dot, meter

TEMPLATES = Path(__file__).parent / "templates"

INTENT_WORDS = {
    "catch_up": "catch up", "share": "share", "give": "give", "ask": "ask",
    "received": "received", "asked_of_me": "asked of me",
}
CHANNEL_WORDS = {
    "in_person": "in person", "call": "call", "video": "video", "message": "message",
    "email": "email", "event": "event", "social": "social",
}
DEPOSITS = frozenset({"catch_up", "share", "give"})
#: One line on each intent, beside the form where you log (deposits build goodwill).
INTENT_MEANINGS = {
    "catch_up": "a deposit: contact with no agenda, to keep in touch",
    "share": "a deposit: they shared their expertise or news and you listened",
    "give": "a deposit: you helped (a favour, a recommendation, an introduction, "
            "congratulations)",
    "ask": "a withdrawal: you asked them for help",
    "received": "their side: they helped you",
    "asked_of_me": "their side: they asked you for help",
}


def pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def signed(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:+,.{digits}f}"


def ago(days: int | None) -> str:
    if days is None:
        return "never"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def when(text: str | None) -> str:
    """An interaction's ISO time as ``3 Nov 2026`` or ``3 Nov 2026, 14:30``."""
    if not text:
        return ""
    try:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text)
            return f"{moment.day} {moment:%b %Y, %H:%M}"
        day = dt.date.fromisoformat(text)
        return f"{day.day} {day:%b %Y}"
    except ValueError:
        return text


def birthday(text: str | None) -> str:
    """``1985-03-15`` as ``15 March 1985``; ``--03-15`` as ``15 March (year unknown)``."""
    if not text:
        return ""
    try:
        if text.startswith("--"):
            day = dt.date.fromisoformat("2000" + text[1:])
            return f"{day.day} {day:%B} (year unknown)"
        day = dt.date.fromisoformat(text)
        return f"{day.day} {day:%B %Y}"
    except ValueError:
        return text


def tier_word(tier: int | None) -> str:
    return "outer" if not tier else f"{tier:,}"


def query(base: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from the current filters with some changed (None drops a key)."""
    merged = {**base, **changes}
    clean = {k: v for k, v in merged.items() if v not in (None, "", False)}
    return "?" + urlencode(clean, doseq=True) if clean else "?"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pct=pct, num=num, signed=signed, ago=ago, when=when, tier=tier_word, birthday=birthday,
        words=lambda v: str(v).replace("_", " "),
        intent=lambda v: INTENT_WORDS.get(v, v), channel=lambda v: CHANNEL_WORDS.get(v, v),
        dot=dot, meter=meter,
    )
    env.globals.update(
        query=query, INTENTS=INTENT_WORDS, INTENT_MEANINGS=INTENT_MEANINGS,
        CHANNELS=CHANNEL_WORDS, DEPOSITS=DEPOSITS,
        TIERS=(5, 15, 50, 150, 500, 1500),
        PURPOSES=("learn", "reconnect", "congratulate", "thank", "intro"),
    )
    return env
