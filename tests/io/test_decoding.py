"""What every parser does with the bytes: BOMs, UTF-16, cp1252, empty, binary, truncated."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from netfolio.errors import ImportError_
from netfolio.io.formats import FORMATS, linkedin
from netfolio.io.formats._text import decode

COMMON = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "common"


def data(name: str) -> bytes:
    return (COMMON / name).read_bytes()


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("fixture", ["empty.csv", "only_bom_whitespace.csv"])
def test_empty_file_is_an_error_in_every_format(name: str, fixture: str) -> None:
    with pytest.raises(ImportError_, match="empty file") as info:
        FORMATS[name].parse(data(fixture), filename=fixture)
    assert info.value.file == fixture


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_binary_garbage_is_an_error_naming_the_file(name: str) -> None:
    with pytest.raises(ImportError_) as info:
        FORMATS[name].parse(data("binary_garbage.bin"), filename="binary_garbage.bin")
    assert info.value.file == "binary_garbage.bin"


def test_truncated_csv_names_the_line_where_the_quote_opened() -> None:
    with pytest.raises(ImportError_, match="ends inside a quoted field") as info:
        linkedin.parse(data("truncated_quote.csv"), filename="truncated_quote.csv")
    assert (info.value.file, info.value.line) == ("truncated_quote.csv", 3)


def test_overlong_field_is_an_error_with_its_line() -> None:
    text = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    text += b'Ana,"' + b"x" * 200_000 + b'",,,,,\n'
    with pytest.raises(ImportError_, match="field limit") as info:
        linkedin.parse(text, filename="big.csv")
    assert info.value.line == 2


def test_excel_sep_line_and_semicolons_in_windows_1252() -> None:
    result = linkedin.parse(data("excel_semicolon_sep.csv"), filename="x.csv")
    (lea,) = result.people
    assert (lea.name, lea.organisation) == ("Lea Brun", "Société Générale d'Exemple")
    assert result.warnings == ["x.csv: not UTF-8; read as Windows-1252 (check accents)"]


def test_utf16_without_bom_is_recognised() -> None:
    result = linkedin.parse(data("utf16_no_bom.csv"), filename="u.csv")
    assert [p.name for p in result.people] == ["Noor Aziz"]


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + "Zoë\n".encode(),
        codecs.BOM_UTF16_LE + "Zoë\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Zoë\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "Zoë\n".encode("utf-32-le"),
        "Zoë\n".encode("cp1252"),
    ],
)
def test_decode_byte_order_marks_and_fallback(encoded: bytes) -> None:
    assert decode(encoded, "f") == "Zoë\n"


def test_decode_rejects_nul_and_control_characters() -> None:
    with pytest.raises(ImportError_, match="binary"):
        decode(b"abc\x00def", "f")
    with pytest.raises(ImportError_, match="binary"):
        decode(bytes(range(1, 32)) * 10, "f")


def test_no_header_row_is_an_error() -> None:
    with pytest.raises(ImportError_, match="no header row of a LinkedIn data export"):
        linkedin.parse(b"a,b,c\n1,2,3\n", filename="x.csv")
