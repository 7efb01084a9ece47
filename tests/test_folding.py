"""One folding function: names, ask mode and the taxonomy fold text the same way."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from netfolio.core import folding, taxonomy
from netfolio.core.folding import fold
from netfolio.core.identity import fold_name
from netfolio.practice import ask


def _by_definition(text: str) -> str:
    """NFKD, every character with a combining class dropped, casefolded (the definition)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_accents_and_case() -> None:
    assert fold("Hospital Clínic") == "hospital clinic"
    assert fold("ÁNA  Núñez") == "ana  nunez"  # spaces are left alone
    assert fold("ᾼ") == "α"  # the iota subscript goes with the accents, before casefolding
    assert fold("が") == "か"  # the voicing mark is a combining mark too


def test_every_combining_mark_is_below_plane_2() -> None:
    table = folding._marks()
    assert {c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))} == set(table)


@given(st.text())
def test_fold_is_the_definition(text: str) -> None:
    assert fold(text) == _by_definition(text)


def test_one_function_everywhere() -> None:
    assert ask.fold is fold
    assert fold_name("  Ana   NÚÑEZ ") == "ana nunez"
    assert taxonomy.words_of("Directrice Générale, R&D — L'Oréal") == [
        "directrice", "generale", "r", "and", "d", "loreal"]
