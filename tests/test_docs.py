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


def _defines(path: Path, dotted: str) -> bool:
    """Whether the module at ``path`` defines ``dotted`` (a name, or ``Class.member``)."""
    import ast

    body = ast.parse(path.read_text(encoding="utf-8")).body
    for part in dotted.split("."):
        found = None
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                continue
            if part in names:
                found = node
        if found is None:
            return False
        body = found.body if isinstance(found, ast.ClassDef) else []
    return True


def test_the_code_map_names_what_exists() -> None:
    """docs/development.md's map: every `path.py`, `folder/` and `path.py:name` it names
    exists (paths from the repository root or from src/netfolio), and every layer of
    tests/test_architecture.py is on it."""
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "netfolio"
    named = re.findall(r"`([\w./-]+(?:\.(?:py|toml|html|md)|/))(?::([\w.]+))?`", text)
    assert len(named) > 40, "the map names the modules it describes"
    for path, name in named:
        where = next((base / path for base in (ROOT, package) if (base / path).exists()), None)
        assert where is not None, f"docs/development.md names {path}, which does not exist"
        if name:
            assert _defines(where, name), f"docs/development.md names {path}:{name}, not in it"
    architecture = (ROOT / "tests" / "test_architecture.py").read_text(encoding="utf-8")
    layers = re.findall(r'^    "(\w+)": ', architecture.split("ALLOWED = {", 1)[1], re.M)
    for layer in set(layers) - {"data", "migrations"}:
        assert f"`{layer}/`" in text or f"`{layer}.py`" in text, f"{layer} is not on the map"
