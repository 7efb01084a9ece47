"""The docs stay true: the CLI reference is generated from the code, README's commands exist."""

from __future__ import annotations

import re
import tomllib
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
    assert blocks[0].strip() == "pip install . -c constraints.txt && netfolio tour"
    assert blocks[1].strip() == "pip install -e '.[test]' -c constraints.txt && pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]' -c constraints.txt" in ci and "\npytest\n" in ci


def test_every_dependency_is_pinned_for_a_fresh_machine() -> None:
    """README's commands install with constraints.txt: every package the app and the test
    extras name must be pinned there, or a fresh machine resolves whatever is newest."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"],
              *project["optional-dependencies"]["postgres"]]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_canonical(name)] = version
    for requirement in wanted:
        name = _canonical(re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0])
        assert pins.get(name), f"{name} is not pinned in constraints.txt"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


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
