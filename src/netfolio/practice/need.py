"""A need read the way a friend would: its words, and the fields and roles that can help.

"advice on hiring a data team" is about data (the field Data, AI and Analytics) and about
hiring (recruiters, engineering managers, the field HR and Recruiting). The fields come from
the shipped taxonomy (``fields.toml``: the need read as if it were a title and an
organisation) and from ask mode's synonyms (``needs.toml``: which roles help with which
needs); both are data, shipped with netfolio, and the rules are in ``docs/practice.md``.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from netfolio.core.shapes import Plain
from netfolio.core.taxonomy import infer_fields, words_of

#: Words that say nothing about the need itself.
STOP_WORDS = frozenset({
    "a", "about", "advice", "an", "and", "any", "anyone", "anybody", "are", "around", "as", "ask",
    "at", "be", "best", "by", "can", "could", "do", "does", "find", "for", "from", "get",
    "getting", "give", "good", "has", "have", "help", "how", "i", "in", "into", "intro",
    "introduce", "introduction", "is", "it", "know", "knows", "knowing", "like", "looking", "me",
    "my", "need", "needs", "of", "on", "or", "people", "person", "recommend", "someone",
    "somebody", "some", "that", "the", "their", "them", "there", "to", "want", "who", "whom",
    "with", "would", "you", "your", "our", "we", "us", "what", "which", "this", "who's", "s",
    "new", "first", "reading", "understand", "understanding", "talk", "chat", "tips",
    "out", "up", "off", "over", "keeps", "keep", "won't", "wont", "go", "goes", "away",
    "got", "should", "see", "next", "after", "before", "all", "day", "days", "week", "month",
    "night", "better", "big", "large", "small", "old", "great", "really", "very",
    "much", "many", "more", "most", "just", "still", "again", "without", "within", "when",
    "where", "why", "will", "shall", "may", "might", "must", "am", "was", "were", "been",
    "being", "had", "did", "doing", "done", "make", "making", "made", "going", "he",
    "she", "his", "her", "hers", "him", "they", "its", "i'm", "im", "we're", "dad", "mum",
    "mom", "son", "daughter", "partner's", "mother", "father", "wife", "husband", "team",
    "teams",
})

#: Word endings that the stemmers keep apart although the words name one speciality
#: ("cardiology", "cardiologist"): such a word is also searched as the prefix before them.
SPECIALITY_ENDINGS = ("ologist", "ology", "ological", "iatrist", "iatry", "ician", "ist")


def speciality_prefix(word: str) -> str | None:
    """``cardiolog`` for ``cardiology`` or ``cardiologist``; None for other words."""
    for ending in SPECIALITY_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem = word[: len(word) - len(ending)]
            return stem + ("olog" if ending.startswith("olog") else "")
    return None


@dataclass(frozen=True)
class _Synonym:
    when: tuple[str, ...]
    roles: tuple[str, ...]
    fields: tuple[str, ...]

    def hit(self, words: list[str]) -> bool:
        for w in self.when:
            if w.endswith("*"):
                if any(x.startswith(w[:-1]) for x in words):
                    return True
            elif " " in w:
                if w in " ".join(words):
                    return True
            elif w in words:
                return True
        return False


@functools.cache
def _synonyms() -> tuple[_Synonym, ...]:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("netfolio.data").joinpath("needs.toml").read_text("utf-8"))
    out = []
    for n, entry in enumerate(raw.get("need", []), start=1):
        when = tuple(" ".join(words_of(w)) + ("*" if w.endswith("*") else "")
                     for w in entry["when"])
        if not when or not entry.get("roles"):
            raise ValueError(f"needs.toml: need #{n} needs 'when' and 'roles'")
        out.append(_Synonym(when, tuple(entry["roles"]), tuple(entry.get("fields", ()))))
    return tuple(out)


@dataclass(frozen=True)
class ParsedNeed(Plain):
    """The need's content words (folded), and the fields and roles they point at."""

    words: tuple[str, ...]
    fields: tuple[str, ...]
    roles: tuple[str, ...]


def content_words(text: str) -> list[str]:
    """The need's words without stop words and one-letter words, folded, in order."""
    return list(dict.fromkeys(w for w in words_of(text) if len(w) > 1 and w not in STOP_WORDS))


def parse_need(text: str) -> ParsedNeed:
    """Read a need: ``parse_need("advice on hiring a data team")`` has the words
    ``hiring data team``, the fields ``data_ai`` and ``hr_recruiting`` and roles such as
    ``recruiter`` and ``engineering manager``."""
    words = content_words(text)
    fields: list[str] = []
    roles: list[str] = []
    if words:
        joined = " ".join(words)
        # the need read as a title (the roles it names); organisation hints are too loose
        for inference in infer_fields(joined, None, limit=2):
            fields.append(inference.slug)
        for synonym in _synonyms():
            if synonym.hit(words):
                fields.extend(synonym.fields)
                roles.extend(synonym.roles)
    return ParsedNeed(tuple(words), tuple(dict.fromkeys(fields)), tuple(dict.fromkeys(roles)))


__all__ = ["STOP_WORDS", "ParsedNeed", "content_words", "parse_need", "speciality_prefix"]
