"""The import pipeline against real ledgers: matching, updates, duplicates, undo, safety."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from netfolio.core.models import Interaction, JobChange, Knows
from netfolio.errors import ImportError_, ValidationError
from netfolio.io.matching import Decision, Scripted
from netfolio.network import Network

PREAMBLE = (
    "Notes:\n\"When exporting your connection data, you may notice that some of the email "
    "addresses are missing.\"\n\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def connections(tmp_path: Path, rows: list[str], name: str = "Connections.csv") -> Path:
    path = tmp_path / name
    path.write_text("\ufeff" + PREAMBLE + HEADER + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return path


def vcards(tmp_path: Path, cards: list[str], name: str = "contacts.vcf") -> Path:
    path = tmp_path / name
    text = "".join(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(line + "\r\n" for line in card.split("\n"))
        + "END:VCARD\r\n"
        for card in cards
    )
    path.write_text(text, encoding="utf-8")
    return path


def calendar(tmp_path: Path, events: list[tuple[str, str, list[str]]],
             name: str = "calendar.ics") -> Path:
    """Events as (uid, start, attendee lines); the organiser is me@example.org."""
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    for uid, start, attendees in events:
        body += (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{start}\r\nDTEND:{start[:9]}235900Z\r\n"
            "SUMMARY:Coffee\r\nORGANIZER;CN=Me:mailto:me@example.org\r\n"
            + "".join(f"ATTENDEE;PARTSTAT=ACCEPTED;{a}\r\n" for a in attendees)
            + "END:VEVENT\r\n"
        )
    path = tmp_path / name
    path.write_text(body + "END:VCALENDAR\r\n", encoding="utf-8")
    return path


def state(net: Network, tmp_path: Path) -> tuple[str, int]:
    """The whole ledger as JSON text, and how many import runs are recorded."""
    out = tmp_path / f"state-{dt.datetime.now().timestamp()}.json"
    net.export("json", out)
    return out.read_text(encoding="utf-8"), len(net.import_history())


ANA = "Ana,Núñez,https://www.linkedin.com/in/ana-nunez,,Acme Robotics,Engineer,08 Feb 2026"
BEN = "Ben,Okafor,https://www.linkedin.com/in/ben-okafor,ben@example.org,Globex,CFO,01 Jan 2025"
CHLOE = "Chloé,Dubois,https://www.linkedin.com/in/chloe-dubois,,Initech,Designer,03 Mar 2024"


# --- idempotence and updates ------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(net: Network, tmp_path: Path) -> None:
    path = connections(tmp_path, [ANA, BEN, CHLOE, ",,,,,,07 Jun 2026"])
    first = net.import_file(path)
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)
    assert first.skipped == {"hidden member": 1}
    again = net.import_file(path)
    assert again.summary.startswith("0 new, 0 updated, 3 unchanged")
    assert net.count() == 3
    ana = net.get("https://www.linkedin.com/in/ana-nunez")
    assert (ana.organisation, ana.title, ana.connected_on) == ("Acme Robotics", "Engineer",
                                                              "2026-02-08")
    assert ana.source == "linkedin:Connections.csv"
    assert [r.counts["new"] for r in net.import_history()] == [0, 3]


def test_newer_export_updates_and_records_a_job_change(net: Network, tmp_path: Path) -> None:
    net.import_file(connections(tmp_path, [ANA, BEN]))
    newer = ANA.replace("Acme Robotics,Engineer", "Globex,Head of Robotics")
    report = net.import_file(connections(tmp_path, [newer, BEN], "Connections (1).csv"))
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert [(j.old_organisation, j.new_organisation, j.new_title) for j in report.job_changes] \
        == [("Acme Robotics", "Globex", "Head of Robotics")]
    ana = net.get("Ana Núñez")
    assert (ana.organisation, ana.title) == ("Globex", "Head of Robotics")
    assert ana.fact_sources["organisation"] == "linkedin:Connections (1).csv"
    with net.session() as s:
        rows = s.execute(select(JobChange)).scalars().all()
        assert [(r.person_id, r.old_title, r.new_title, r.run_id) for r in rows] == [
            (ana.id, "Engineer", "Head of Robotics", report.run_id)
        ]
        assert rows[0].seen_on == dt.date.today()


def test_another_kind_of_source_does_not_overwrite_but_keeps_its_value(
    net: Network, tmp_path: Path
) -> None:
    net.import_file(connections(tmp_path, [BEN]))
    card = ("FN:Ben Okafor\nEMAIL:ben@example.org\nORG:Old Employer\nTITLE:Analyst\n"
            "TEL:+44 20 7946 0958")
    report = net.import_file(vcards(tmp_path, [card]))
    assert (report.new, report.updated) == (0, 1)
    ben = net.get("ben@example.org")
    assert (ben.organisation, ben.title) == ("Globex", "CFO")
    assert ben.phones == ["+442079460958"]
    assert ben.fact_sources["other_values"]["organisation"] == [
        ["Old Employer", "vcard:contacts.vcf"]
    ]
    assert report.job_changes == []


def test_facts_set_by_hand_are_not_overwritten(net: Network, tmp_path: Path) -> None:
    net.add("Ben Okafor", emails=["ben@example.org"], organisation="Umbrella", title="COO")
    net.import_file(connections(tmp_path, [BEN]))
    ben = net.get("Ben Okafor")
    assert (ben.organisation, ben.title) == ("Umbrella", "COO")
    assert ben.linkedin_url == "https://www.linkedin.com/in/ben-okafor"
    assert ben.connected_on == "2025-01-01"


# --- identity keys ---------------------------------------------------------------------------


def test_email_matches_whatever_its_case(net: Network, tmp_path: Path) -> None:
    net.add("Ana Núñez", emails=["ana@example.org"])
    report = net.import_file(vcards(tmp_path, ["FN:Ana N.\nEMAIL;TYPE=work:ANA@Example.ORG\n"
                                               "TEL;TYPE=CELL:+34 612 345 678\nCATEGORIES:mentor"]))
    assert (report.new, report.updated) == (0, 1)
    ana = net.get("ana@example.org")
    assert ana.display_name == "Ana Núñez"
    assert ana.phones == ["+34612345678"] and ana.tags == ["mentor"]


def test_phone_matches_in_e164(net: Network, tmp_path: Path) -> None:
    net.init(region="US")
    net.add("Grace Liu", phones=["+1 415 555 0123"])
    report = net.import_file(vcards(tmp_path, ["FN:Grace\nTEL:(415) 555-0123\n"
                                               "EMAIL:grace@example.com"]))
    assert (report.new, report.updated) == (0, 1)
    assert net.get("Grace Liu").emails == ["grace@example.com"]


def test_linkedin_url_matches_any_spelling(net: Network, tmp_path: Path) -> None:
    net.add("Chloé Dubois", linkedin_url="https://www.linkedin.com/in/chloe-dubois")
    row = "Chloé,Dubois,https://fr.linkedin.com/in/Chloe-Dubois/,chloe@example.fr,Initech,,"
    report = net.import_file(connections(tmp_path, [row]))
    assert (report.new, report.updated) == (0, 1)
    assert net.get("Chloé Dubois").emails == ["chloe@example.fr"]


def test_records_of_one_file_sharing_a_key_are_one_person(net: Network, tmp_path: Path) -> None:
    path = vcards(tmp_path, ["FN:Dev Patel\nEMAIL:dev@example.in",
                             "FN:Dev P\nEMAIL:dev@example.in\nTEL:+91 98765 43210"])
    report = net.import_file(path)
    assert report.new == 1
    assert net.get("dev@example.in").phones == ["+919876543210"]


def test_your_own_card_is_skipped(net: Network, tmp_path: Path) -> None:
    net.init(emails=["me@example.org"])
    report = net.import_file(vcards(tmp_path, ["FN:Me Myself\nEMAIL:me@example.org",
                                               "FN:Ana\nEMAIL:ana@example.org"]))
    assert report.new == 1 and report.skipped == {"your own card": 1}


# --- interactions and attendees --------------------------------------------------------------


def test_attendee_is_linked_by_name_and_the_email_added(net: Network, tmp_path: Path) -> None:
    net.import_file(connections(tmp_path, [ANA]))  # half of LinkedIn has no email
    ics = calendar(tmp_path, [("coffee-1@x", "20250110T090000Z",
                               ["CN=ANA NUNEZ:mailto:ana.nunez@acme.example"])])
    report = net.import_file(ics, me=["me@example.org"])
    assert (report.new, report.updated, report.interactions_added) == (0, 1, 1)
    ana = net.ledger("Ana Núñez")
    assert ana.person.emails == ["ana.nunez@acme.example"]
    assert [(i.channel, i.when[:10], i.intent) for i in ana.interactions] == [
        ("in_person", "2025-01-10", "catch_up")
    ]
    again = net.import_file(ics, me=["me@example.org"])
    assert (again.new, again.updated, again.interactions_added, again.interactions_unchanged) \
        == (0, 0, 0, 1)


def test_attendee_named_like_several_people_is_a_possible_duplicate(
    net: Network, tmp_path: Path
) -> None:
    net.add("Ana Núñez", organisation="Acme")
    net.add("Ana Nuñez", organisation="Globex")
    ics = calendar(tmp_path, [("c2@x", "20250110T090000Z", ["CN=Ana Núñez:mailto:ana@z.example"])])
    report = net.import_file(ics, me=["me@example.org"])
    assert report.new == 1 and report.interactions_added == 1
    assert len(report.possible_duplicates) == 2
    new = net.get("ana@z.example")
    assert {frozenset((d.a[0], d.b[0])) for d in net.duplicates()} == {
        frozenset((1, new.id)), frozenset((2, new.id))
    }


def test_unknown_attendee_is_a_new_person(net: Network, tmp_path: Path) -> None:
    ics = calendar(tmp_path, [("c3@x", "20250110T090000Z",
                               ["CN=Kenji Mori:mailto:kenji@example.jp",
                                "CN=Grace Liu:mailto:grace@example.com"])])
    report = net.import_file(ics, me=["me@example.org"])
    assert report.new == 2 and report.interactions_added == 1
    ledger = net.ledger("kenji@example.jp")
    assert [sorted(n for _, n in i.people) for i in ledger.interactions] == [
        ["Grace Liu", "Kenji Mori"]
    ]


def test_messages_become_interactions_once(net: Network, tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures/import/linkedin/messages_basic.csv"
    first = net.import_file(fixture)
    assert first.interactions_added > 0
    again = net.import_file(fixture)
    assert again.interactions_added == 0
    assert again.interactions_unchanged == first.interactions_added
    with net.session() as s:
        rows = s.execute(select(Interaction)).scalars().all()
        assert len(rows) == first.interactions_added
        assert all(r.intent_inferred and r.content is None for r in rows)
        assert all(r.source == "linkedin:messages_basic.csv" for r in rows)


# --- possible duplicates -------------------------------------------------------------------


CARD_JOHN = "FN:John Smith\nORG:Acme\nTEL:+1 212 555 0101"


def test_close_name_and_organisation_is_listed_for_review(net: Network, tmp_path: Path) -> None:
    net.add("Jon Smith", emails=["jon@acme.example"], organisation="Acme")
    report = net.import_file(vcards(tmp_path, [CARD_JOHN]))
    assert report.new == 1 and report.merged == 0
    (dup,) = net.duplicates()
    assert {dup.a[1], dup.b[1]} == {"Jon Smith (Acme)", "John Smith (Acme)"}
    assert dup.score >= 90 and "organisation" in dup.reason
    kept = net.resolve_duplicate(dup.id, "merge")
    assert kept is not None and kept.display_name == "Jon Smith"
    assert kept.emails == ["jon@acme.example"] and kept.phones == ["+12125550101"]
    assert net.count() == 1 and net.duplicates() == []


def test_yes_merges_confident_duplicates(net: Network, tmp_path: Path) -> None:
    net.add("John Smith", emails=["john@acme.example"], organisation="Acme")
    report = net.import_file(vcards(tmp_path, [CARD_JOHN]), yes=True)
    assert (report.new, report.merged, report.updated) == (0, 1, 1)
    john = net.get("John Smith")
    assert john.phones == ["+12125550101"] and net.count() == 1


def test_a_dismissed_pair_is_never_proposed_again(net: Network, tmp_path: Path) -> None:
    net.add("Jon Smith", emails=["jon@acme.example"], organisation="Acme")
    resolver = Scripted(lambda c: Decision.SEPARATE)
    report = net.import_file(vcards(tmp_path, [CARD_JOHN]), resolver=resolver)
    assert report.new == 1 and len(resolver.asked) == 1
    assert net.duplicates() == [] and len(net.duplicates(None)) == 1
    report = net.import_file(vcards(tmp_path, [CARD_JOHN + "\nNOTE:again"], "v2.vcf"),
                             resolver=Scripted(lambda c: pytest.fail("asked again")))
    assert report.new == 0


def test_the_same_full_name_at_the_same_organisation_is_merged_without_asking(
    net: Network, tmp_path: Path
) -> None:
    net.add("John Smith", emails=["john@acme.example"], organisation="Acme")
    resolver = Scripted(lambda c: pytest.fail("asked"))
    report = net.import_file(vcards(tmp_path, [CARD_JOHN]), resolver=resolver)
    assert (report.new, report.merged) == (0, 1)
    assert net.get("John Smith").phones == ["+12125550101"]


def test_two_profiles_are_never_proposed_as_one_person(net: Network, tmp_path: Path) -> None:
    twin = "Ana,Núñez,https://www.linkedin.com/in/ana-nunez-2,,Acme Robotics,Engineer,"
    report = net.import_file(connections(tmp_path, [ANA, twin]))
    assert report.new == 2 and report.possible_duplicates == []


# --- knows edges ----------------------------------------------------------------------------


def test_related_people_and_small_organisations_make_knows_edges(
    net: Network, tmp_path: Path
) -> None:
    cards = [
        "FN:Ana Núñez\nEMAIL:ana@example.org\nORG:Tiny Lab\n"
        "RELATED;TYPE=friend:mailto:ben@example.org",
        "FN:Ben Okafor\nEMAIL:ben@example.org\nORG:Elsewhere",
        "FN:Chloé Dubois\nEMAIL:chloe@example.org\nORG:Tiny Lab",
    ]
    report = net.import_file(vcards(tmp_path, cards))
    assert report.knows_added == 2
    with net.session() as s:
        edges = {(k.a_id, k.b_id, k.source.value) for k in s.execute(select(Knows)).scalars()}
    ids = {p.display_name: p.id for p in net.people()}
    assert edges == {
        (ids["Ana Núñez"], ids["Ben Okafor"], "imported"),
        (ids["Ana Núñez"], ids["Chloé Dubois"], "same_organisation"),
    }
    assert net.import_file(vcards(tmp_path, cards)).knows_added == 0


# --- safety: dry run, atomicity, undo ---------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(net: Network, tmp_path: Path) -> None:
    net.add("Ben Okafor", emails=["ben@example.org"])
    before = state(net, tmp_path)
    report = net.import_file(connections(tmp_path, [ANA, BEN, CHLOE]), dry_run=True)
    assert report.dry_run and report.run_id is None
    assert (report.new, report.updated) == (2, 1)
    assert state(net, tmp_path) == before


def test_strict_makes_a_broken_card_fatal_and_writes_nothing(net: Network, tmp_path: Path) -> None:
    net.add("Someone", emails=["someone@example.org"])
    before = state(net, tmp_path)
    path = tmp_path / "broken.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good\r\nEMAIL:g@example.org\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nthis is not a content line\r\n"
                    "END:VCARD\r\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"broken.vcf, line 9") as caught:
        net.import_file(path, strict=True)
    assert "card 2" in str(caught.value)
    assert state(net, tmp_path) == before
    report = net.import_file(path)  # without --strict: skipped and counted
    assert report.new == 1 and report.skipped == {"broken card": 1}


def test_strict_makes_a_bad_value_fatal(net: Network, tmp_path: Path) -> None:
    path = vcards(tmp_path, ["FN:Ana\nEMAIL:not-an-email"])
    with pytest.raises(ImportError_, match="not an email address"):
        net.import_file(path, strict=True)
    report = net.import_file(path)
    assert report.new == 1 and any("not an email" in w for w in report.warnings)


def test_a_failure_mid_write_leaves_the_ledger_as_it_was(
    net: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    net.import_file(connections(tmp_path, [BEN]))
    before = state(net, tmp_path)
    from netfolio.io import import_write

    def boom(self: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_write.Writer, "interactions", boom)
    newer = BEN.replace("Globex,CFO", "Umbrella,CEO")
    with pytest.raises(ImportError_, match=r"disk on fire.*nothing was imported"):
        net.import_file(connections(tmp_path, [ANA, newer, CHLOE], "newer.csv"))
    assert state(net, tmp_path) == before


def test_undo_restores_the_exact_previous_state(net: Network, tmp_path: Path) -> None:
    net.add("Ben Okafor", emails=["ben@example.org"], tags=["school"])
    net.add("Ana Núñez", organisation="Acme Robotics", title="Intern")
    net.import_file(connections(tmp_path, [CHLOE]))
    before = state(net, tmp_path)
    cards = vcards(tmp_path, [
        "FN:Ben Okafor\nEMAIL:ben@example.org\nTEL:+44 20 7946 0958\nTITLE:CFO\nORG:Globex\n"
        "CATEGORIES:friends,finance\nURL:https://ben.example\nBDAY:--04-01\nNOTE:Met in Lagos",
        "FN:New Person\nEMAIL:new@example.org\nORG:Acme Robotics",
    ])
    report = net.import_file(cards)
    assert (report.new, report.updated) == (1, 1)
    ics = calendar(tmp_path, [("u1@x", "20250110T090000Z", ["CN=Ana Nunez:mailto:ana@acme.example",
                                                            "CN=Zed:mailto:zed@example.org"])])
    newer = CHLOE.replace("Initech,Designer", "Globex,Art Director")
    net.import_file([ics], me=["me@example.org"])
    net.import_file(connections(tmp_path, [newer], "newer.csv"))
    assert net.get("Chloé Dubois").organisation == "Globex"
    for _ in range(3):
        net.import_undo()
    assert state(net, tmp_path)[0] == before[0]
    assert [r.undone for r in net.import_history()] == [True, True, True, False]


def test_undo_keeps_facts_edited_since_and_refuses_to_drop_new_entries(
    net: Network, tmp_path: Path
) -> None:
    net.add("Ben Okafor", emails=["ben@example.org"])
    net.import_file(vcards(tmp_path, ["FN:Ben\nEMAIL:ben@example.org\nTITLE:CFO",
                                      "FN:Dev Patel\nEMAIL:dev@example.in"]))
    net.edit("Ben Okafor", title="CEO")
    net.log(["Dev Patel"], when="2025-01-02", intent="catch_up")
    with pytest.raises(ValidationError, match="--force"):
        net.import_undo()
    done = net.import_undo(force=True)
    assert done.people_removed == 1 and done.conflicts == ["#1 title: changed since the import"]
    assert net.get("Ben Okafor").title == "CEO"
    with pytest.raises(ValidationError, match="no import to undo"):
        net.import_undo()


# --- files --------------------------------------------------------------------------------


def test_unreadable_files_are_clear_errors_and_write_nothing(
    net: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 40)
    truncated = tmp_path / "Connections.csv"
    truncated.write_text(HEADER + 'Ana,"Núñez,https://x,,Acme,,\n', encoding="utf-8")
    cases = [
        (empty, None, "empty file"),
        (garbage, None, "cannot tell what kind"),
        (garbage, "vcard", "garbage.bin"),
        (truncated, "linkedin", "line 2"),
        (tmp_path / "missing.vcf", None, "no such file"),
        (tmp_path, None, "folder"),
        (Path(__file__).parent / "fixtures/import/vcard/vcard30_google_export.vcf", "google",
         "use `netfolio import vcard`"),
    ]
    for path, fmt, message in cases:
        with pytest.raises(ImportError_, match=message):
            net.import_file(path, fmt)
    from netfolio.io import files

    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportError_, match="at most"):
        net.import_file(connections(tmp_path, [ANA, BEN]))
    assert net.count() == 0 and net.import_history() == []


def test_a_zip_bomb_is_refused(net: Network, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    from netfolio.io.formats import linkedin

    monkeypatch.setattr(linkedin, "MAX_UNZIPPED_BYTES", 1_000_000)
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", HEADER + "A,B,,,,,\n" * 200_000)
    with pytest.raises(ImportError_, match="zip bomb"):
        net.import_file(bomb)
    assert net.count() == 0


def test_a_linkedin_zip_imports_people_and_messages_as_one_run(
    net: Network, tmp_path: Path
) -> None:
    fixtures = Path(__file__).parent / "fixtures/import/linkedin"
    archive = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Connections.csv", (fixtures / "connections_preamble_bom.csv").read_bytes())
        zf.writestr("messages.csv", (fixtures / "messages_basic.csv").read_bytes())
    stages: list[str] = []
    report = net.import_file(archive, progress=lambda stage, done, total: stages.append(stage))
    assert report.new >= 3 and report.interactions_added > 0
    assert {"read", "match", "write"} <= set(stages)
    (run,) = net.import_history()
    assert run.format == "linkedin" and run.file_name == "Basic_LinkedInDataExport.zip"
    assert len(run.file_sha256) == 64
