"""The tour reads well to a newcomer: short, plain sentences first, details a command away;
and README's everyday commands work on the tour's own ledger."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def toured(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    kept = str(tmp_path_factory.mktemp("tour") / "demo.db")
    result = CliRunner().invoke(app, ["tour", "--keep", kept], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output, kept


def test_the_tour_is_short_and_plain(toured: tuple[str, str]) -> None:
    out, _ = toured
    lines = out.splitlines()
    assert len(lines) < 90  # it was 375 lines of tables
    flat = " ".join(out.split())
    for sentence in ("You know 400 people", "in your own field", "This week you have made",
                     "the 5 you aim for", "tie strength", "When you do need help"):
        assert sentence in flat
    for jargon in ("Blau", "HHI", "Shannon", "constraint", "effective size", "┃"):
        assert jargon not in out  # the indices and the tables wait behind the details
    assert not re.search(r"\b\d+\.5 people", out)


def test_the_plan_in_the_tour_is_dated_in_order(toured: tuple[str, str]) -> None:
    out, _ = toured
    section = out.split("3. The plan")[1].split("More:")[0]
    days = [int(d) for d in re.findall(r"^\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d+)", section,
                                       re.M)]
    assert days and days == sorted(days, key=lambda d: (d < days[0], d))


def test_every_more_command_of_the_tour_runs(toured: tuple[str, str]) -> None:
    out, _ = toured
    mores = re.findall(r"^More: (.*?)\n(?=\n|─|\Z)", out, re.M | re.S)
    commands = [c.split(" (")[0].strip() for more in mores
                for c in " ".join(more.split()).split(" · ")]
    assert len(commands) >= 4
    for command in commands:
        args = shlex.split(command)[1:]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, (command, result.output)


def test_readme_everyday_commands_work_on_the_tour_ledger(toured: tuple[str, str]) -> None:
    _, kept = toured
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Everyday use")[1].split("```bash\n")[1].split("```")[0]
    ran = 0
    for line in block.splitlines():
        command = line.split("   #")[0].split("  #")[0].strip()
        if not command.startswith("netfolio ") or command.split()[1] in ("init", "import",
                                                                          "sync", "serve"):
            continue
        result = CliRunner().invoke(app, ["--db", kept, *shlex.split(command)[1:]])
        assert result.exit_code == 0, (command, result.output)
        ran += 1
    assert ran >= 6
