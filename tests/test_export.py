"""Export (vCard 4.0, CSV, the JSON ledger), backup and restore, against real ledgers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from netfolio.errors import ImportError_, ValidationError
from netfolio.io.export.table import COLUMNS
from netfolio.io.export.vcard import escape, fold
from netfolio.network import Network


@pytest.fixture
def demo_url(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> str:
    """A small demo network in its own SQLite file (interactions, asks, intros, knows)."""
    import shutil

    from netfolio import demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(_sqlite_template, path)
    demo.build(f"sqlite:///{path}", people=80, seed=11, today=dt.date(2026, 1, 15))
    return f"sqlite:///{path}"


def fill(net: Network) -> None:
    """A few people with every kind of fact, and some ledger entries between them."""
    net.init(name="Sam Rivera", emails=["sam@rivera.example"], region="ES")
    net.add_field("Beekeeping", "Bees, hives and honey.")
    net.add("Ana Núñez", emails=["ana@example.org", "work=ana.nunez@clinic.example"],
            phones=["mobile=+34 612 345 678"], organisation="Hospital Clínic, Barcelona",
            title="Cardiologist; head of unit", location="Barcelona, Spain",
            linkedin_url="https://www.linkedin.com/in/ana-nunez", birthday="--03-15",
            notes="Loves climbing.\nAsk about the new lab; and the book, too.",
            tags=["mentor", "climbing"], fields=["medicine", "Beekeeping"], tier=15,
            closeness=4, how_met="conference in Lisbon")
    net.add("Ben Okafor", emails=["ben@example.org"], phones=["+44 20 7946 0958"],
            organisation="Globex", title="CFO", birthday="1980-02-29")
    net.add("Chloé Dubois", organisation="Initech")
    net.log(["Ana Núñez"], when="2025-11-03", intent="share", channel="call", note="her lab")
    net.log(["Ana Núñez", "Ben Okafor"], when="2025-11-04 18:30", intent="catch_up",
            channel="in_person")
    net.introduce("Ana Núñez", "Chloé Dubois", when=dt.date(2025, 11, 5), note="design help")
    net.knows("Ben Okafor", "Chloé Dubois")
    net.plan_skip("Ben Okafor", week="2025-11-03")
    net.plan_snooze("Chloé Dubois", until=dt.date.today() + dt.timedelta(days=30))


def export_text(net: Network, path: Path, fmt: str = "json") -> str:
    net.export(fmt, path)
    return path.read_text(encoding="utf-8")


# --- the JSON ledger ----------------------------------------------------------------------


def test_json_ledger_round_trips_exactly(demo_url: str, tmp_path: Path, sqlite_url: str) -> None:
    with Network(demo_url) as source:
        first = export_text(source, tmp_path / "first.json")
    data = json.loads(first)
    assert data["format"] == "netfolio-ledger" and data["version"] == 1
    assert {"people", "interactions", "asks", "introductions", "knows", "fields",
            "settings", "job_changes", "possible_duplicates"} <= set(data)
    assert len(data["people"]) == 80 and data["interactions"] and data["asks"]
    with Network(sqlite_url) as target:
        info = target.restore(tmp_path / "first.json")
        assert info.people == 80 and info.format == "json"
        assert export_text(target, tmp_path / "second.json") == first


def test_json_ledger_keeps_every_fact(net: Network, tmp_path: Path, db_url: str) -> None:
    fill(net)
    first = export_text(net, tmp_path / "a.json")
    data = json.loads(first)
    ana = next(p for p in data["people"] if p["display_name"] == "Ana Núñez")
    assert ana["birthday"] == "--03-15" and ana["tier_override"] == 15
    assert [e["email"] for e in ana["emails"]] == ["ana@example.org", "ana.nunez@clinic.example"]
    assert {f["field"] for f in ana["fields"]} == {"medicine", "beekeeping"}
    assert any(f["slug"] == "beekeeping" and f["custom"] for f in data["fields"])
    assert data["settings"]["name"] == "Sam Rivera"
    assert [i["people"] for i in data["interactions"]][:2] == [[1], [1, 2]]
    assert data["introductions"][0]["note"] == "design help"
    assert sorted(a["action"] for a in data["plan_actions"]) == ["skip", "snooze"]
    # into a second, empty ledger of the same kind of database
    other = tmp_path / "other.db"
    with Network(f"sqlite:///{other}") as target:
        target.restore(tmp_path / "a.json")
        assert export_text(target, tmp_path / "b.json") == first
        assert target.get("Ana Núñez").tags == ["climbing", "mentor"]
        assert target.me().name == "Sam Rivera"
        assert target.add("Dee").id == 4  # ids continue after the restored ones


def test_json_restore_needs_an_empty_ledger_or_replace(
    net: Network, tmp_path: Path, sqlite_url: str
) -> None:
    fill(net)
    net.export("json", tmp_path / "a.json")
    with Network(sqlite_url) as target:
        target.add("Somebody Else")
        with pytest.raises(ValidationError, match="--replace"):
            target.restore(tmp_path / "a.json")
        info = target.restore(tmp_path / "a.json", replace=True)
        assert info.replaced and info.kept and Path(info.kept).exists()
        assert {p.display_name for p in target.people()} == {
            "Ana Núñez", "Ben Okafor", "Chloé Dubois"
        }


def test_restore_refuses_what_is_not_a_backup(net: Network, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\x01not a backup")
    with pytest.raises(ValidationError, match="not a netfolio backup"):
        net.restore(garbage)
    other_json = tmp_path / "other.json"
    other_json.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ImportError_, match="not a netfolio JSON ledger"):
        net.restore(other_json)
    foreign = tmp_path / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE stuff (x)")
    con.commit()
    con.close()
    with pytest.raises(ValidationError, match="not a netfolio ledger"):
        net.restore(foreign)
    assert net.count() == 0


# --- backup and restore of the SQLite file ------------------------------------------------------


def test_sqlite_backup_and_restore(sqlite_url: str, tmp_path: Path) -> None:
    with Network(sqlite_url) as net:
        fill(net)
        before = export_text(net, tmp_path / "before.json")
        info = net.backup(tmp_path / "backup.db")
        assert info.format == "sqlite" and info.people == 3
        with pytest.raises(ValidationError, match="never overwrites"):
            net.backup(tmp_path / "backup.db")
        net.add("Added After The Backup")
        with pytest.raises(ValidationError, match="--replace"):
            net.restore(tmp_path / "backup.db")
        restored = net.restore(tmp_path / "backup.db", replace=True)
        assert restored.replaced and restored.kept and Path(restored.kept).exists()
        assert export_text(net, tmp_path / "after.json") == before
    fresh = tmp_path / "fresh.db"
    with Network(f"sqlite:///{fresh}") as other:
        other.count()
        assert other.restore(tmp_path / "backup.db").people == 3
        assert export_text(other, tmp_path / "fresh.json") == before


def test_backup_as_json_for_any_database(net: Network, tmp_path: Path) -> None:
    fill(net)
    info = net.backup(tmp_path / "ledger.json")
    assert info.format == "json"
    assert json.loads((tmp_path / "ledger.json").read_text("utf-8"))["format"] == "netfolio-ledger"


# --- vCard 4.0 ----------------------------------------------------------------------------


def test_vcard_export_is_valid_rfc6350(net: Network, tmp_path: Path) -> None:
    fill(net)
    net.edit("Ben Okafor", notes="Übermäßig lange Notiz " * 12)
    net.export("vcard", tmp_path / "all.vcf")
    raw = (tmp_path / "all.vcf").read_bytes()
    assert raw.count(b"BEGIN:VCARD") == 3
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    for card in raw.decode("utf-8").split("BEGIN:VCARD\r\n")[1:]:
        first = card.split("\r\n")[:3]
        assert first[0] == "VERSION:4.0" and first[1].startswith("FN:")
        assert first[2].startswith("N:")
    text = raw.decode("utf-8").replace("\r\n ", "")
    assert "ORG:Hospital Clínic\\, Barcelona" in text
    assert "TITLE:Cardiologist\\; head of unit" in text
    assert "NOTE:Loves climbing.\\nAsk about the new lab\\; and the book\\, too." in text
    assert "BDAY:--0315" in text and "BDAY:19800229" in text
    assert "TEL;VALUE=uri;TYPE=cell:tel:+34612345678" in text
    assert "URL:https://www.linkedin.com/in/ana-nunez" in text
    assert "RELATED;TYPE=acquaintance:mailto:ana@example.org" in text  # Chloé knows Ana


def test_fold_never_splits_a_character_and_escape() -> None:
    folded = fold("NOTE:" + "é" * 100)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in parts) and parts[-1] == b""
    assert "".join(p.decode("utf-8") for p in parts).replace(" ", "") == "NOTE:" + "é" * 100
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_vcard_round_trip_gives_the_same_people(net: Network, tmp_path: Path) -> None:
    fill(net)
    net.export("vcard", tmp_path / "all.vcf")
    with Network(tmp_path / "copy.db") as copy:
        report = copy.import_file(tmp_path / "all.vcf")
        assert report.new == 3 and report.skipped == {}

        def people(n: Network) -> list[tuple[object, ...]]:
            return sorted(
                (p.display_name, p.given_name, p.family_name, p.organisation, p.title,
                 p.location, tuple(sorted(p.emails)), tuple(p.phones), p.linkedin_url,
                 p.birthday, p.notes, tuple(p.tags))
                for p in n.people()
            )

        assert people(copy) == people(net)
        assert copy.import_file(tmp_path / "all.vcf").summary.startswith(
            "0 new, 0 updated, 3 unchanged")


# --- CSV ----------------------------------------------------------------------------------


def test_csv_has_one_row_per_person(net: Network, tmp_path: Path) -> None:
    fill(net)
    info = net.export("csv", tmp_path / "people.csv")
    assert info.people == 3
    with (tmp_path / "people.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == COLUMNS
    ana = rows[0]
    assert ana["emails"] == "ana@example.org; ana.nunez@clinic.example"
    assert ana["birthday"] == "--03-15" and ana["tags"] == "climbing; mentor"
    assert ana["notes"].startswith("Loves climbing.\n")


def test_unknown_export_format_and_bad_target(net: Network, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="vcard, csv, json"):
        net.export("xml", tmp_path / "x.xml")
    with pytest.raises(ValidationError, match="does not exist"):
        net.export("csv", tmp_path / "missing" / "x.csv")


def test_json_ledger_restores_into_any_database(net: Network, tmp_path: Path) -> None:
    with Network(tmp_path / "source.db") as source:
        fill(source)
        first = export_text(source, tmp_path / "a.json")
    info = net.restore(tmp_path / "a.json")  # PostgreSQL too, with --db-url
    assert info.people == 3
    assert export_text(net, tmp_path / "b.json") == first
    assert net.add("Dee").id == 4 and net.log(["Dee"], when="2025-12-01").id == 4
