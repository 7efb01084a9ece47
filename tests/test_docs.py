"""The docs stay true: the CLI reference is generated from the code, README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from netfolio.cli.app import app
from netfolio.cli.reference import render, walk

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(app), "run: python -m netfolio.cli.reference > docs/cli.md"


def test_readme_opens_with_install_and_test_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    assert blocks[0].strip() == "pip install . && netfolio tour"
    assert blocks[1].strip() == "pip install -e '.[test]' && pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci and "\npytest\n" in ci


def test_every_command_in_readme_and_docs_exists() -> None:
    """Every `netfolio COMMAND` in a code block or inline code names a real command."""
    commands = {" ".join(path) for path in walk(typer.main.get_command(app), []) if path}
    top = {c.split()[0] for c in commands}
    docs = [d for d in sorted((ROOT / "docs").glob("*.md")) if d.name != "cli.md"]
    for doc in [ROOT / "README.md", *docs]:  # cli.md is generated from the app itself
        text = doc.read_text(encoding="utf-8")
        code = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
        inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for snippet in [*code, *inline]:
            for used in re.findall(r"(?:^|\s|&&)netfolio(?: --(?:db|user) \S+)* ([a-z][a-z-]+)",
                                   snippet, re.M):
                assert used in top, f"{doc.name}: `netfolio {used}` is not a command"
