"""import, duplicates, export, backup and restore through Typer's CliRunner, checked through
the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netfolio.cli.app import app
from netfolio.network import Network

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROWS = (
    "Ana,Núñez,https://www.linkedin.com/in/ana-nunez,,Acme Robotics,Engineer,08 Feb 2026\n"
    "Ben,Okafor,https://www.linkedin.com/in/ben-okafor,ben@example.org,Globex,CFO,01 Jan 2025\n"
)


@pytest.fixture
def run(sqlite_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["--db", sqlite_url, *map(str, args)], input=input)

    return invoke


@pytest.fixture
def lib(sqlite_url: str):  # type: ignore[no-untyped-def]
    network = Network(sqlite_url)
    yield network
    network.close()


@pytest.fixture
def conn_csv(tmp_path: Path) -> Path:
    path = tmp_path / "Connections.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_import_reimport_history_undo(run, lib: Network, conn_csv: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("import", conn_csv)
    assert r.exit_code == 0, r.output
    assert "2 new, 0 updated, 0 unchanged" in r.output and "import undo" in r.output
    assert lib.count() == 2
    r = run("import", "linkedin", conn_csv)
    assert r.exit_code == 0 and "0 new, 0 updated, 2 unchanged" in r.output
    r = run("import", "history", "--json")
    runs = json.loads(r.output)
    assert [x["counts"]["new"] for x in runs] == [0, 2]
    r = run("import", "undo")
    assert r.exit_code == 0 and "Undid import #2" in r.output
    r = run("import", "undo")
    assert r.exit_code == 0 and "2 people" in r.output
    assert lib.count() == 0
    r = run("import", "undo")
    assert r.exit_code == 1 and "no import to undo" in r.output


def test_dry_run_and_json_report(run, lib: Network, conn_csv: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("import", conn_csv, "--dry-run")
    assert r.exit_code == 0 and "Dry run: nothing was written" in r.output
    assert "Would import" in r.output and lib.count() == 0
    r = run("import", conn_csv, "--json")
    report = json.loads(r.output)
    assert (report["new"], report["dry_run"], report["summary"]) == (
        2, False, "2 new, 0 updated, 0 unchanged"
    )
    assert lib.count() == 2


def test_wrong_format_and_bad_files_are_one_line_errors(  # type: ignore[no-untyped-def]
    run, lib: Network, conn_csv: Path, tmp_path: Path
) -> None:
    r = run("import", "vcard", conn_csv)
    assert r.exit_code == 1
    assert "this looks like a LinkedIn data export" in r.output
    assert "use `netfolio import linkedin`" in r.output
    empty = tmp_path / "empty.vcf"
    empty.write_bytes(b"")
    r = run("import", empty)
    assert r.exit_code == 1 and "empty.vcf: empty file" in r.output
    r = run("import")
    assert r.exit_code == 1 and "name the file to import: a LinkedIn export" in r.output
    r = run("import", "json", conn_csv)
    assert r.exit_code == 1 and "netfolio restore" in r.output
    assert "Traceback" not in r.output and lib.count() == 0


def test_duplicates_list_merge_dismiss(run, lib: Network, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib.add("Jon Smith", emails=["jon@acme.example"], organisation="Acme")
    lib.add("Kim Lee", emails=["kim@acme.example"], organisation="Acme")
    cards = tmp_path / "phone.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Smith\r\nORG:Acme\r\nTEL:+12125550101\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kimm Lee\r\nORG:Acme\r\n"
        "TEL:+12125550102\r\nEND:VCARD\r\n", encoding="utf-8")
    r = run("import", cards)
    assert r.exit_code == 0 and "possible duplicate" in r.output
    assert "netfolio duplicates" in r.output
    r = run("duplicates")
    assert r.exit_code == 0 and "John Smith" in r.output and "Kimm Lee" in r.output
    pairs = {p.b[1].split(" (")[0]: p.id for p in lib.duplicates()}
    r = run("duplicates", "merge", pairs["John Smith"])
    assert r.exit_code == 0 and "Merged into" in r.output
    assert lib.get("Jon Smith").phones == ["+12125550101"]
    r = run("duplicates", "dismiss", pairs["Kimm Lee"])
    assert r.exit_code == 0 and "Dismissed" in r.output
    assert lib.duplicates() == [] and len(lib.duplicates(None)) == 1
    r = run("duplicates", "--all", "--json")
    assert [p["status"] for p in json.loads(r.output)] == ["dismissed"]
    r = run("duplicates", "merge")
    assert r.exit_code == 1


def test_yes_merges_without_asking(run, lib: Network, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib.add("John Smith", emails=["john@acme.example"], organisation="Acme")
    cards = tmp_path / "phone.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:John Smith\r\nORG:Acme\r\n"
                     "TEL:+12125550101\r\nEND:VCARD\r\n", encoding="utf-8")
    r = run("import", cards, "--yes")
    assert r.exit_code == 0 and "1 merged" in r.output
    assert lib.count() == 1 and lib.get("John Smith").phones == ["+12125550101"]


def test_export_backup_restore(run, lib: Network, conn_csv: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", conn_csv)
    for fmt, name in (("vcard", "all.vcf"), ("csv", "all.csv"), ("json", "all.json")):
        r = run("export", fmt, tmp_path / name)
        assert r.exit_code == 0 and "Wrote 2 people" in r.output, r.output
    assert (tmp_path / "all.vcf").read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    r = run("backup", tmp_path / "backup.db")
    assert r.exit_code == 0 and "Backed up 2 people" in r.output
    lib.add("After")
    r = run("restore", tmp_path / "backup.db")
    assert r.exit_code == 1 and "--replace" in r.output
    r = run("restore", tmp_path / "backup.db", "--replace")
    assert r.exit_code == 1 and "--yes" in r.output  # no terminal to confirm at
    r = run("restore", tmp_path / "backup.db", "--replace", "--yes")
    assert r.exit_code == 0 and "Restored 2 people" in r.output and "kept as" in r.output
    assert {p.display_name for p in lib.people()} == {"Ana Núñez", "Ben Okafor"}
    other = tmp_path / "other.db"
    r = CliRunner().invoke(app, ["--db", str(other), "restore", str(tmp_path / "all.json")])
    assert r.exit_code == 0, r.output
    with Network(other) as copy:
        assert copy.count() == 2
