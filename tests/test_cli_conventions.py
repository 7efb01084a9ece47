"""CLI conventions: --version, completion, sections in help, global options anywhere, usage in
words, help on every option, plurals, read-only commands that create nothing, refusals first;
and `netfolio targets`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from netfolio import __version__
from netfolio.cli.app import PANELS, app
from netfolio.network import Network

runner = CliRunner()


def _commands(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        out += _commands(sub, [*path, name])
    return out


ROOT = typer.main.get_command(app)
EVERY = _commands(ROOT, [])


def test_version() -> None:
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.output.strip() == f"netfolio {__version__}"


def test_shell_completion_is_offered() -> None:
    out = runner.invoke(app, ["--help"]).output
    assert "--install-completion" in out and "--show-completion" in out


def test_every_option_and_argument_has_help() -> None:
    missing = [f"netfolio {' '.join(path)} {p.name}" for path, command in EVERY
               for p in command.params if not getattr(p, "help", None)
               and not getattr(p, "hidden", False)]
    assert missing == []


def test_help_groups_the_commands_in_sections() -> None:
    out = runner.invoke(app, ["--help"]).output
    for panel in PANELS:
        assert f"\n{panel}:\n" in out
    assert "\nCommands:\n" not in out  # every command belongs to a section
    listed = {name for names in PANELS.values() for name in names}
    assert listed == set(ROOT.commands)
    assert out.index("\nPeople:\n") < out.index("  merge ") < out.index("\nLog:\n")


def test_usage_lines_are_in_words() -> None:
    for path, _ in EVERY:
        out = runner.invoke(app, [*path, "--help"]).output
        assert "<list[" not in out and "<str>" not in out and "<int>" not in out, path
        usage = out.splitlines()[0]
        assert "{" not in usage, usage
    assert runner.invoke(app, ["log", "--help"]).output.startswith(
        "Usage: netfolio log [OPTIONS] PEOPLE...")
    assert runner.invoke(app, ["tag", "--help"]).output.startswith(
        "Usage: netfolio tag [OPTIONS] PERSON [TAGS]...")


def test_global_options_work_after_the_subcommand(sqlite_url: str) -> None:
    Network(sqlite_url).add("Ana Núñez")
    for args in (["list", "--db", sqlite_url, "--json"], ["list", f"--db={sqlite_url}", "--json"],
                 ["--db", sqlite_url, "list", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert [p["display_name"] for p in json.loads(result.output)] == ["Ana Núñez"]
    plan = runner.invoke(app, ["plan", "--json", "--db", sqlite_url])
    assert plan.exit_code == 0 and "week" in json.loads(plan.output)


def test_a_subcommand_keeps_its_own_option_of_the_same_name() -> None:
    from netfolio.cli.app import hoist_global_options

    args = ["migrate-to", "postgresql+psycopg://x/y", "--user", "ana"]
    assert hoist_global_options(ROOT, args) == args
    assert hoist_global_options(ROOT, ["why", "Ana", "--user", "bob"]) == [
        "--user", "bob", "why", "Ana"]


def test_a_command_that_only_reads_creates_no_ledger(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.db"
    for args in (["db", "info"], ["list"], ["portfolio"], ["plan"], ["targets"]):
        result = runner.invoke(app, ["--db", str(missing), *args])
        assert result.exit_code == 1
        assert "no ledger at" in result.output and "netfolio init" in result.output
        assert not missing.exists()


def test_merge_refuses_the_same_person_before_asking(sqlite_url: str) -> None:
    ana = Network(sqlite_url).add("Ana Núñez")
    result = runner.invoke(app, ["--db", sqlite_url, "merge", f"#{ana.id}", f"#{ana.id}"],
                           input="")
    assert result.exit_code == 1
    assert "same person twice" in result.output and "[y/N]" not in result.output


def test_messages_read_right() -> None:
    from netfolio.core.enums import Intent
    from netfolio.errors import ImportError_
    from netfolio.reports import plural

    with pytest.raises(ValueError, match="is not an intent"):
        Intent.parse("hello")
    assert plural(1, "day") == "1 day" and plural(2, "day") == "2 days"
    assert plural(1, "person", "people") == "1 person" and plural(0, "time") == "0 times"
    assert "<input>" not in str(ImportError_("name the file"))
    result = runner.invoke(app, ["--db", "sqlite:///:memory:", "import"])
    assert "name the file to import" in result.output and "<input>" not in result.output


# -- targets ------------------------------------------------------------------------------------


def test_targets_show_set_and_reset(sqlite_url: str) -> None:
    lib = Network(sqlite_url)
    lib.init(fields=["software"])
    for n in range(6):
        lib.add(f"Dev {n}", fields=["software"])
    for n in range(3):
        lib.add(f"Banker {n}", fields=["finance"])
    lib.add("Nurse", fields=["public_health"])

    def show() -> dict[str, dict[str, Any]]:
        result = runner.invoke(app, ["--db", sqlite_url, "targets", "--json"])
        assert result.exit_code == 0, result.output
        return {t["field"]: t for t in json.loads(result.output)}

    before = show()
    assert not any(t["set_by_you"] for t in before.values())
    result = runner.invoke(app, ["--db", sqlite_url, "targets", "set", "software=20",
                                 "Finance and Investing=10%"])
    assert result.exit_code == 0, result.output
    after = show()
    assert after["software"]["target"] == pytest.approx(0.2)
    assert after["finance"]["target"] == pytest.approx(0.1)
    assert after["software"]["set_by_you"] and not after["public_health"]["set_by_you"]
    assert sum(t["target"] for t in after.values()) == pytest.approx(1.0)
    # the portfolio reads them
    assert {f.field: f.target for f in lib.portfolio().allocation}["software"] == (
        pytest.approx(0.2))
    # reset one, then all
    assert runner.invoke(app, ["--db", sqlite_url, "targets", "reset", "finance"]).exit_code == 0
    assert lib.me().targets == {"software": pytest.approx(0.2)}
    assert runner.invoke(app, ["--db", sqlite_url, "targets", "reset"]).exit_code == 0
    assert lib.me().targets == {}
    assert show() == before


@pytest.mark.parametrize(("args", "says"), [
    (["software"], "FIELD=PERCENT"),
    (["software=abc"], "FIELD=PERCENT"),
    (["software=120"], "FIELD=PERCENT"),
    (["software=60", "finance=50"], "add up to 110%"),
    (["no-such-field=10"], "no-such-field"),
])
def test_targets_refuse_bad_input_and_change_nothing(sqlite_url: str, args: list[str],
                                                     says: str) -> None:
    lib = Network(sqlite_url)
    lib.set_targets({"software": 0.3})
    result = runner.invoke(app, ["--db", sqlite_url, "targets", "set", *args])
    assert result.exit_code != 0 and says in result.output
    assert lib.me().targets == {"software": pytest.approx(0.3)}


def test_command_modules_name_what_each_module_registers() -> None:
    """`netfolio COMMAND` builds only COMMAND's module: the map must be the truth."""
    import importlib

    import typer

    from netfolio.cli.app import MODULES

    for module, names in MODULES.items():
        one = typer.Typer()
        importlib.import_module(f"netfolio.cli.{module}").register(one)
        found = [c.name for c in one.registered_commands] + [
            g.name for g in one.registered_groups]
        assert sorted(found) == sorted(names), module
    every = {n for names in MODULES.values() for n in names}
    assert every == {n for names in PANELS.values() for n in names}


@pytest.mark.parametrize("args", [
    ["--db", "{db}", "list", "--json"], ["list", "--db", "{db}", "-n", "2"],
    ["--db", "{db}", "goodwill", "--limit", "x"], ["--db", "{db}", "plan", "--help"],
    ["--db", "{db}", "show"], ["--db", "{db}", "why", "#999"], ["--db", "{db}", "targets"],
    ["--db", "{db}", "demo", "-n", "3"], ["--db={db}", "search", "ana", "--limit", "-1"],
    ["--debug", "--db", "{db}", "fields", "list"],
])
def test_one_command_app_answers_as_the_whole_app(sqlite_url: str,
                                                  args: list[str]) -> None:
    """What `main` runs (only the named command's module) answers as the whole `app`."""
    from netfolio.cli.app import build_app, command_in

    argv = [a.replace("{db}", sqlite_url) for a in args]
    name = command_in(argv)
    assert name is not None
    runner = CliRunner()
    whole = runner.invoke(app, argv)
    one = runner.invoke(build_app(name), argv)
    assert (one.exit_code, one.output) == (whole.exit_code, whole.output)


def test_help_version_and_unknown_commands_take_the_whole_app() -> None:
    from netfolio.cli.app import command_in

    for argv in (["--help"], ["-h"], ["--version"], [], ["nosuch"], ["--db", "x.db"],
                 ["--install-completion"], ["--db", "x", "--help", "list"]):
        assert command_in(argv) is None, argv
    assert command_in(["--db", "x", "--user", "ana", "--debug", "plan", "done"]) == "plan"
