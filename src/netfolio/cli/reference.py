"""Generate docs/cli.md from the Typer app, so the reference never drifts from the code.

    python -m netfolio.cli.reference > docs/cli.md

``tests/test_docs.py`` fails when docs/cli.md is not what this prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

INTRO = """# The `netfolio` command

Every command, generated from the code by `python -m netfolio.cli.reference > docs/cli.md`
(a test keeps it true). Global options, given before the command:
`netfolio --db PATH_OR_URL COMMAND ...` (or the `NETFOLIO_DB` environment variable)
chooses the ledger: a SQLite file path or a `postgresql+psycopg://` URL. By default the
ledger is `netfolio.db` in your data directory. In a team database,
`netfolio --user NAME COMMAND ...` (or `NETFOLIO_USER`) says whose network the command
works on (see [team.md](team.md)). Every error is one line on stderr naming what was wrong
(exit code 1); `netfolio --debug COMMAND ...` (or `NETFOLIO_DEBUG=1`) prints the traceback
too, for a bug report (see [robustness.md](robustness.md)).

The global options may also follow the command (`netfolio plan --db x.db`), unless the command
has an option of the same name (`migrate-to --user`). `netfolio --version` prints the version.
Shell completion (bash, zsh, fish, PowerShell): `netfolio --install-completion` installs it for
your shell; `netfolio --show-completion` prints the script to install by hand. The commands are
grouped in `netfolio --help` as below: start, people, log, measures, practice, import and
export, web, team, ledger.

A PERSON is named by `#id`, an email, a LinkedIn profile URL or a name (case and accents
do not matter; a unique part of the name is enough). Listing commands take `--json`.
"""


def walk(command: Any, path: list[str]) -> Iterator[list[str]]:
    """Every command path below ``command`` (groups first, then their commands)."""
    yield path
    if hasattr(command, "list_commands"):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not getattr(sub, "hidden", False):
                yield from walk(sub, [*path, name])


def render(app: typer.Typer) -> str:
    from typer.testing import CliRunner

    runner = CliRunner()
    out = [INTRO]
    for path in walk(typer.main.get_command(app), []):
        if not path:
            continue
        result = runner.invoke(app, [*path, "--help"], terminal_width=100)
        out.append(f"\n## `netfolio {' '.join(path)}`\n")
        out.append("```text")
        out.append(result.output.rstrip())
        out.append("```")
    return "\n".join(out) + "\n"


def main() -> None:
    from netfolio.cli.app import app

    print(render(app), end="")


if __name__ == "__main__":
    main()
