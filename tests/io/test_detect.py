"""Telling formats apart by content, and helpful wrong-format errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from netfolio.errors import ImportError_
from netfolio.io import formats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
EXPECTED = {
    "linkedin": [
        "connections_preamble_bom.csv",
        "connections_old_no_url.csv",
        "connections_hidden_members.csv",
        "messages_basic.csv",
        "invitations.csv",
    ],
    "vcard": ["vcard21_quoted_printable_utf8.vcf", "vcard30_icloud_grouped_ablabel.vcf"],
    "google": ["google_current.csv", "google_legacy.csv"],
    "outlook": ["outlook_classic.csv", "outlook_utf16.csv"],
    "ical": ["ical_timezones.ics"],
    "mbox": ["mbox_threads_encoded_names.mbox", "mbox_list_bulk.mbox"],
}


@pytest.mark.parametrize(
    ("name", "fixture"), [(n, f) for n, files in EXPECTED.items() for f in files]
)
def test_detect_by_content_not_by_name(name: str, fixture: str) -> None:
    folder = name if name != "linkedin" else "linkedin"
    raw = (FIXTURES / folder / fixture).read_bytes()
    assert formats.detect(raw, "download.dat") == name
    formats.check_format(name, raw, fixture)  # no error for the right format


def test_detect_a_linkedin_zip() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x/Connections.csv", (FIXTURES / "linkedin" / "invitations.csv").read_bytes())
    assert formats.detect(buf.getvalue(), "Basic_LinkedInDataExport.zip") == "linkedin"


def test_wrong_format_says_which_command_to_use() -> None:
    raw = (FIXTURES / "google" / "google_current.csv").read_bytes()
    with pytest.raises(ImportError_) as info:
        formats.parse(raw, filename="contacts.csv", format="linkedin")
    assert str(info.value) == (
        "contacts.csv: this looks like a Google Contacts export, not a LinkedIn data export: "
        "use `netfolio import google`"
    )
    vcf = (FIXTURES / "vcard" / "vcard_folded_lines.vcf").read_bytes()
    with pytest.raises(ImportError_, match="use `netfolio import vcard`"):
        formats.check_format("ical", vcf, "a.vcf")


def test_unknown_and_empty_inputs() -> None:
    with pytest.raises(ImportError_, match="cannot tell what kind of export"):
        formats.detect(b"just some words\n", "notes.txt")
    with pytest.raises(ImportError_, match="empty file"):
        formats.detect(b"", "empty.csv")
    with pytest.raises(ImportError_, match="unknown format 'fax'"):
        formats.check_format("fax", b"x", "x")


def test_parse_detects_when_no_format_is_given() -> None:
    raw = (FIXTURES / "vcard" / "vcard30_google_export.vcf").read_bytes()
    result = formats.parse(raw, filename="g.vcf")
    assert result.format == "vcard" and result.people[0].name == "Grace Liu"


def test_every_format_module_has_the_same_surface() -> None:
    for name, module in formats.FORMATS.items():
        assert name == module.NAME
        assert isinstance(module.LABEL, str)
        assert callable(module.parse) and callable(module.sniff)
        assert module.MAX_BYTES is None or module.MAX_BYTES > 2**20
