from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netfolio.core.identity import (
    fold_name,
    normalise_email,
    normalise_linkedin_url,
    normalise_phone,
)
from netfolio.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "folded"),
    [("Ana Núñez", "ana nunez"), ("  ŁUKASZ   Nowak ", "łukasz nowak"),
     ("Nguyễn Văn An", "nguyen van an"), ("José\tMaría", "jose maria")],
)
def test_fold_name(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


@given(st.text())
def test_fold_name_is_idempotent(text: str) -> None:
    assert fold_name(fold_name(text)) == fold_name(text)


def test_email_is_lowercased_and_checked() -> None:
    assert normalise_email(" Ana@Example.ORG ") == "ana@example.org"
    assert normalise_email("mailto:ben@x.io") == "ben@x.io"
    for bad in ("ana", "ana@", "@x.org", "a b@x.org", "ana@x", "a..b@x.org", ""):
        with pytest.raises(ValidationError):
            normalise_email(bad)


def test_phone_to_e164() -> None:
    assert normalise_phone("+1 (415) 555-0132") == "+14155550132"
    assert normalise_phone("tel:+34 612 34 56 78") == "+34612345678"
    assert normalise_phone("612 34 56 78", "ES") == "+34612345678"
    with pytest.raises(ValidationError, match="country code"):
        normalise_phone("612 34 56 78")
    with pytest.raises(ValidationError):
        normalise_phone("12")
    with pytest.raises(ValidationError):
        normalise_phone("call me")


def test_linkedin_url_canonical() -> None:
    canonical = "https://www.linkedin.com/in/ana-nunez"
    for raw in ("https://www.linkedin.com/in/ana-nunez/", "linkedin.com/in/Ana-Nunez",
                "http://es.linkedin.com/in/ana-nunez?trk=abc", "www.linkedin.com/in/ana-nunez#x"):
        assert normalise_linkedin_url(raw) == canonical
    assert normalise_linkedin_url("https://example.com/in/ana") is None
    assert normalise_linkedin_url("https://www.linkedin.com/company/acme") is None
    assert normalise_linkedin_url("") is None
