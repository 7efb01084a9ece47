"""Hostile arguments through the CLI: one line naming what was wrong, never a traceback,
and never a raw control character from the data on the terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.cli.terminal import SafeStream, neutralise, strip_controls
from netfolio.network import Network

LONG = "A" * 60_000
HUGE_ID = str(2**64)
ESCAPES = "Eve\x1b]0;owned\x07\x1b[2J\x1b[31m[bold]x[/]\r\x08\x9b"


def _hostile(tmp_path: Path) -> list[list[str]]:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    big_int = tmp_path / "big-int.json"
    big_int.write_text('{"format": "netfolio-ledger", "version": 1, "people": [{"id": '
                       + "9" * 100_000 + "}]}")
    no_created = tmp_path / "no-created.json"
    no_created.write_text(json.dumps({
        "format": "netfolio-ledger", "version": 1,
        "people": [{"id": 1, "display_name": "X"}],
    }))
    return [
        ["show", LONG], ["log", LONG], ["search", LONG], ["delete", LONG],
        ["compose", LONG], ["merge", LONG, "Ana"], ["list", "--org", LONG],
        ["show", "#" + HUGE_ID], ["ask", "resolve", HUGE_ID, "fulfilled"],
        ["duplicates", "merge", HUGE_ID], ["duplicates", "dismiss", HUGE_ID],
        ["import", "history", "--limit", HUGE_ID], ["unlog", HUGE_ID],
        ["plan", "--week", "0001-01-01"], ["plan", "--week", "9999-12-31"],
        ["calendar", str(tmp_path / "missing" / "plan.ics")], ["calendar", str(folder)],
        ["calendar", ""], ["check", "x" * 300], ["check", "a/" * 200],
        ["restore", str(big_int), "--replace", "--yes"],
        ["restore", str(no_created), "--replace", "--yes"],
        ["restore", str(tmp_path / "nothing.json")], ["restore", str(folder)],
        ["export", "json", "/proc/self/mem"], ["export", "json", str(folder)],
        ["export", "vcard", ""], ["backup", "/proc/self/mem.db"], ["backup", str(folder)],
        ["import", str(folder)], ["import", "/dev/null"], ["import", "vcard", "/proc/self/mem"],
        ["log", "Ana", "--when", "0001-01-01"], ["log", "Ana", "--when", "99999-01-01"],
        ["add", LONG], ["add", "Bo", "--email", "x" * 70_000 + "@example.org"],
        ["edit", "Ana", "--title", LONG], ["tag", "Ana", LONG], ["tag", "Ana", "--bogus"],
        ["why", LONG], ["portfolio", "--as-of", "0001-01-01"],
    ]


@pytest.fixture
def ledger(sqlite_url: str) -> str:
    with Network(sqlite_url) as net:
        net.init(name="Me")
        net.add("Ana Núñez", organisation="Hospital Clínic")
        net.add(ESCAPES, organisation=ESCAPES, notes=ESCAPES)
        net.log(["Ana Núñez"], note=ESCAPES)
    return sqlite_url


def test_hostile_arguments_give_one_line_and_no_traceback(ledger: str, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = []
    for args in _hostile(tmp_path):
        result = runner.invoke(app, ["--db", ledger, *args])
        shown = " ".join(a[:20] for a in args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            bad.append(f"{shown}: raised {result.exception!r}")
            continue
        if "Traceback" in result.output:
            bad.append(f"{shown}: printed a traceback")
            continue
        if result.exit_code != 0:
            errors = [line for line in result.output.splitlines() if "Error" in line]
            if len(errors) != 1 or len(errors[0]) > 500:
                bad.append(f"{shown}: not one short error line: {result.output[-300:]!r}")
    assert bad == []


def test_debug_shows_the_traceback(ledger: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", ledger, "--debug", "export", "json",
                                      "/proc/self/mem"])
    assert result.exit_code == 1
    assert "Traceback" in result.output and "Error: " in result.output


def test_errors_name_what_was_wrong(ledger: str, tmp_path: Path) -> None:
    runner = CliRunner()

    def error(*args: str) -> str:
        result = runner.invoke(app, ["--db", ledger, *args])
        assert result.exit_code != 0
        return result.output

    assert "60,000" in error("show", LONG)
    assert "/proc/self/mem" in error("export", "json", "/proc/self/mem")
    assert "missing" in error("calendar", str(tmp_path / "missing" / "plan.ics"))
    assert "9,223,372,036,854,775,807" in error("ask", "resolve", HUGE_ID, "fulfilled")


_RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("args", [
    ["list"], ["search", "Eve"], ["show", "Eve"], ["show", "Ana"], ["dormant"],
    ["portfolio"], ["plan"], ["show", ESCAPES], ["log", ESCAPES], ["add", ESCAPES + "2"],
    ["search", ESCAPES], ["tag", "Eve", "--add", ESCAPES], ["duplicates"],
])
def test_no_raw_control_character_reaches_the_terminal(ledger: str, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["--db", ledger, *args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), result.exception
    assert not _RAW.search(result.output), repr(result.output[:500])


def test_data_is_shown_with_visible_escapes(ledger: str) -> None:
    out = CliRunner().invoke(app, ["--db", ledger, "show", "Eve"]).output
    assert "\\x1b]0;owned\\x07" in out and "[bold]x[/]" in out


def test_the_stream_keeps_rich_styles_on_a_terminal_and_drops_the_rest() -> None:
    styled = "\x1b[1mbold\x1b[0m \x1b[2K\x1b[1A"
    assert strip_controls(styled + ESCAPES, keep_rich=True) == styled + \
        "Eve\x1b[31m[bold]x[/]\r"
    assert strip_controls(styled + ESCAPES, keep_rich=False) == "bold Eve[bold]x[/]"
    assert neutralise("a\x1bb\nc\td") == "a\\x1bb\nc\td"

    class Tty:
        written = ""

        def write(self, text: str) -> int:
            Tty.written += text
            return len(text)

        def isatty(self) -> bool:
            return True

    stream = SafeStream(Tty())
    stream.write("\x1b]0;title\x07hi\x1b[2J")
    assert Tty.written == "hi"
