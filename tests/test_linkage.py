"""Record linkage: the pair scorer's levels and rules, and the pipeline's use of them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netfolio.io.linkage import (
    MERGE_BITS,
    NameLevel,
    Outcome,
    Side,
    compare_names,
    domain_names_org,
    is_generic_email,
    judge,
    slug_names_email,
)
from netfolio.io.normalise import fold_name
from netfolio.network import Network

OUTLOOK_COLUMNS = ["First Name", "Last Name", "Company", "Job Title", "Business Phone",
                   "Mobile Phone", "E-mail Address", "E-mail Type", "E-mail Display Name"]


def outlook(tmp_path: Path, rows: list[dict[str, str]], name: str = "contacts.csv") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, OUTLOOK_COLUMNS, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in OUTLOOK_COLUMNS})
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


MATEO = {"First Name": "Mateo", "Last Name": "García", "Company": "CEMEX", "Job Title": "Engineer",
         "Business Phone": "+52 81 8888 8888", "E-mail Address": "mateo.garcia@cemex.example"}
INGRID = {"First Name": "Ingrid", "Last Name": "Lindqvist", "Company": "IKEA",
          "Job Title": "Buyer", "Business Phone": "+52 81 8888 8888",
          "E-mail Address": "ingrid@ikea.example"}


def side(name: str, org: str | None = None, emails: tuple[str, ...] = (),
         url: str | None = None) -> Side:
    return Side(fold_name(name), org, emails, url)


# --- the scorer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("Ana Núñez", "ANA NUNEZ", NameLevel.EXACT),
        ("Bob Smith", "Robert Smith", NameLevel.SIMILAR),  # nickname
        ("Hans Müller", "Hans Mueller", NameLevel.SIMILAR),  # transliteration
        ("Lindqvist Ingrid", "Ingrid Lindqvist", NameLevel.SIMILAR),  # swapped
        ("Müller Hans", "Hans Mueller", NameLevel.SIMILAR),
        ("Jonathan Smiht", "Jonathan Smith", NameLevel.TYPO),
        ("J Smith", "John Smith", NameLevel.INITIAL),
        ("Ana", "Ana Núñez", NameLevel.PARTIAL),
        ("Anna Smith", "Peter Smith", NameLevel.FAMILY_ONLY),
        ("Mateo García", "Ingrid Lindqvist", NameLevel.DIFFERENT),
        ("Imported Person 5", "Imported Person 102", NameLevel.DIFFERENT),  # numbered names
        ("ana@example.org", "Ana Núñez", NameLevel.MISSING),
    ],
)
def test_names_compare_at_their_level(a: str, b: str, level: NameLevel) -> None:
    assert compare_names(fold_name(a), fold_name(b)) is level


def test_a_shared_landline_with_different_names_is_only_a_review_candidate() -> None:
    verdict = judge(side("Mateo García", "CEMEX"), side("Ingrid Lindqvist", "IKEA"),
                    [("landline", "+528188888888")])
    assert verdict.outcome is Outcome.REVIEW
    assert "different name" in verdict.reason and "landline" in verdict.reason


@pytest.mark.parametrize("kind", ["landline", "generic email", "mobile", "email", "phone"])
def test_names_that_disagree_never_merge_without_the_profile(kind: str) -> None:
    verdict = judge(side("Mateo García"), side("Ingrid Lindqvist"), [(kind, "x")])
    assert verdict.outcome is not Outcome.MERGE
    # a personal key is worth a question; an office's address alone is not
    assert (verdict.outcome is Outcome.REVIEW) == (kind in ("mobile", "email", "phone",
                                                             "landline"))


def test_the_profile_merges_whatever_the_name() -> None:
    verdict = judge(side("Mateo García"), side("Teo G"), [("url", "https://x/in/mg")])
    assert verdict.outcome is Outcome.MERGE


@pytest.mark.parametrize("other", ["Robert Smith", "Smith Bob", "Bob Smyth"])
def test_nicknames_swaps_and_typos_with_weak_evidence_are_review_candidates(other: str) -> None:
    for kind in ("landline", "generic email"):
        verdict = judge(side("Bob Smith"), side(other), [(kind, "x")])
        assert verdict.outcome is Outcome.REVIEW, (other, kind, verdict)


def test_a_shared_landline_and_the_same_rare_name_merge() -> None:
    verdict = judge(side("Ingrid Lindqvist", "IKEA"), side("Ingrid Lindqvist", "IKEA"),
                    [("landline", "+46")], name_frequency=0.0001)
    assert verdict.outcome is Outcome.MERGE and verdict.bits >= MERGE_BITS


def test_a_common_name_counts_less_than_a_rare_one() -> None:
    rare = judge(side("Ana Núñez"), side("Ana Núñez"), [("generic email", "i@x")],
                 name_frequency=0.0001)
    common = judge(side("Ana Núñez"), side("Ana Núñez"), [("generic email", "i@x")],
                   name_frequency=0.02)
    assert rare.bits > common.bits
    assert common.outcome is Outcome.REVIEW and rare.outcome is Outcome.MERGE


def test_nothing_shared_and_a_different_name_is_apart() -> None:
    assert judge(side("Ana Núñez"), side("Ben Okafor"), []).outcome is Outcome.APART


def test_evidence_from_the_domain_and_the_slug() -> None:
    assert domain_names_org("dario.iqbal83@kpmg.example", "KPMG")
    assert domain_names_org("x@acme.example", "Acme, Inc.")
    assert not domain_names_org("x@gmail.com", "Gmail")
    assert not domain_names_org("x@kpmg.example", "Deloitte")
    assert slug_names_email("https://www.linkedin.com/in/dario-iqbal83", "dario.iqbal83@x.example")
    # a namesake writes the name the same way: the handle must match, digits and all
    assert not slug_names_email("https://www.linkedin.com/in/dario-iqbal", "dario.iqbal@x.example")
    assert not slug_names_email("https://www.linkedin.com/in/dario-iqbal-59", "dario.iqbal5@x.io")
    assert is_generic_email("info@acme.example") and not is_generic_email("ana@acme.example")


@given(st.text(max_size=30), st.text(max_size=30))
def test_name_comparison_is_symmetric(a: str, b: str) -> None:
    assert compare_names(fold_name(a), fold_name(b)) is compare_names(fold_name(b), fold_name(a))


# --- the pipeline -----------------------------------------------------------------------------


def test_two_people_sharing_a_switchboard_stay_two_with_a_review_entry(
    net: Network, tmp_path: Path
) -> None:
    report = net.import_file(outlook(tmp_path, [INGRID, MATEO]))
    assert report.new == 2 and report.merged == 0
    mateo, ingrid = net.get("Mateo García"), net.get("Ingrid Lindqvist")
    assert mateo.id != ingrid.id
    assert mateo.emails == ["mateo.garcia@cemex.example"] and mateo.title == "Engineer"
    assert ingrid.emails == ["ingrid@ikea.example"] and ingrid.organisation == "IKEA"
    assert mateo.phones == ingrid.phones == ["+528188888888"]
    (dup,) = net.duplicates()
    assert {dup.a[0], dup.b[0]} == {mateo.id, ingrid.id}
    assert "different name" in dup.reason
    again = net.import_file(outlook(tmp_path, [INGRID, MATEO], "again.csv"))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def test_the_same_across_imports(net: Network, tmp_path: Path) -> None:
    net.import_file(outlook(tmp_path, [INGRID]))
    report = net.import_file(outlook(tmp_path, [MATEO], "mateo.csv"))
    assert report.new == 1 and net.count() == 2
    assert len(net.duplicates()) == 1


def test_a_switchboard_is_not_a_question_for_everyone_at_the_office(
    net: Network, tmp_path: Path
) -> None:
    board = "+52 81 8888 8888"
    rows = [
        {"First Name": given, "Last Name": family, "Company": "CEMEX", "Business Phone": board,
         "E-mail Address": f"{given.lower()}@cemex.example"}
        for given, family in (("Mateo", "García"), ("Ana", "Ruiz"), ("Luis", "Vega"),
                              ("Sofía", "Mora"), ("Pablo", "León"))
    ]
    report = net.import_file(outlook(tmp_path, rows))
    assert report.new == 5 and report.merged == 0
    assert len(net.duplicates()) <= 3  # the first few, not all ten pairs


def test_a_generic_address_does_not_merge_two_people(net: Network, tmp_path: Path) -> None:
    a = {"First Name": "Lena", "Last Name": "Berg", "E-mail Address": "info@berg.example"}
    b = {"First Name": "Tomas", "Last Name": "Berg", "E-mail Address": "info@berg.example"}
    report = net.import_file(outlook(tmp_path, [a, b]))
    assert report.new == 2 and len(net.duplicates()) == 1


def test_a_nickname_sharing_only_a_landline_is_a_review_candidate(
    net: Network, tmp_path: Path
) -> None:
    a = {"First Name": "Robert", "Last Name": "Hale", "Business Phone": "+44 20 7946 0000"}
    b = {"First Name": "Bob", "Last Name": "Hale", "Business Phone": "+44 20 7946 0000"}
    report = net.import_file(outlook(tmp_path, [a, b]))
    assert report.new == 2
    (dup,) = net.duplicates()
    assert "similar name" in dup.reason


def test_a_mobile_and_a_nickname_merge(net: Network, tmp_path: Path) -> None:
    a = {"First Name": "Robert", "Last Name": "Hale", "Mobile Phone": "+44 7700 900123"}
    b = {"First Name": "Bob", "Last Name": "Hale", "Mobile Phone": "+44 7700 900123",
         "E-mail Address": "bob@hale.example"}
    report = net.import_file(outlook(tmp_path, [a, b]))
    assert report.new == 1 and net.get("Robert Hale").emails == ["bob@hale.example"]


def test_an_address_finds_the_namesake_whose_organisation_its_domain_names(
    net: Network, tmp_path: Path
) -> None:
    net.add("Dario Iqbal", organisation="KPMG", linkedin_url="https://www.linkedin.com/in/di1")
    net.add("Dario Iqbal", organisation="Unilever",
            linkedin_url="https://www.linkedin.com/in/di2")
    ics = tmp_path / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
        "DTSTART:20250101T100000Z\r\nDTEND:20250101T110000Z\r\nSUMMARY:Coffee\r\n"
        "ORGANIZER;CN=Me:mailto:me@example.org\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Dario Iqbal:mailto:dario.iqbal83@kpmg.example\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    report = net.import_file(ics, me=["me@example.org"])
    assert report.new == 0 and net.count() == 2
    kpmg = net.get("dario.iqbal83@kpmg.example")
    assert kpmg.organisation == "KPMG"


# --- the address that spells a name, and the same thread or meeting --------------------------


def test_an_address_that_spells_the_name_agrees_with_it() -> None:
    from netfolio.io.linkage import spells_name

    assert spells_name("dario.iqbal83@kpmg.example", "dario iqbal")
    assert spells_name("iqbal.dario@kpmg.example", "dario iqbal")  # family name first
    assert not spells_name("dario83@gmail.example", "dario iqbal")
    assert not spells_name("info@kpmg.example", "info kpmg")  # an office's address
    # "Dario" at an address that spells his full name, at the domain of his organisation:
    # one person; the same display name at a webmail address is only a question
    verdict = judge(side("Dario", emails=("dario.iqbal83@kpmg.example",)),
                    side("Dario Iqbal", "KPMG"))
    assert verdict.outcome is Outcome.MERGE and verdict.name is NameLevel.EXACT
    assert "the address spells the name" in verdict.reason
    assert judge(side("Dario", emails=("dario83@gmail.example",)),
                 side("Dario Iqbal", "KPMG")).outcome is not Outcome.MERGE
    # a display name that disagrees is not overruled by the address
    assert judge(side("Ana Silva", emails=("dario.iqbal83@kpmg.example",)),
                 side("Dario Iqbal", "KPMG")).outcome is not Outcome.MERGE


def test_a_name_written_several_ways_agrees_at_its_best() -> None:
    lena = Side(fold_name("Lena Ptael"), "Lumen", (), None, (fold_name("Lena Patel"),))
    assert judge(lena, side("Lena Patel", "Lumen")).outcome is Outcome.MERGE
    assert judge(side("Lena Ptael", "Lumen"), side("Lena Patel", "Lumen")).outcome is (
        Outcome.REVIEW)


def test_a_space_in_another_place_is_a_typo() -> None:
    assert compare_names("michael ivanov aoliveira", "michael ivanova oliveira") is (
        NameLevel.TYPO)


def test_the_same_thread_weighs_by_how_rarely_two_people_share_one() -> None:
    from netfolio.io.linkage import conversation_u

    rare, common = conversation_u(10, 10_000), conversation_u(20_000_000, 10_000)
    assert rare < common
    shared = [("conversation", "mbox:<t1>")]
    a, b = side("Dario Iqbal", emails=("dario@gmail.example",)), side("Dario Iqbal")
    assert judge(a, b, shared, name_frequency=0.01, conversation_share=rare).outcome is (
        Outcome.MERGE)
    # in a ledger where everyone is in every thread, a shared thread says little
    assert judge(a, b, shared, name_frequency=0.01, conversation_share=common).outcome is (
        Outcome.REVIEW)
    # a thread never makes a nickname an automatic merge (issue 12, item 5)
    assert judge(side("Bob Iqbal"), side("Robert Iqbal"), shared,
                 conversation_share=rare).outcome is Outcome.REVIEW


MBOX_THREAD = """From a Mon Jan  6 09:00:00 2025
Message-ID: <t1@x>
Date: Mon, 06 Jan 2025 09:00:00 +0000
From: "Dario Iqbal" <dario.iqbal83@kpmg.example>
To: me@example.org
Subject: Hello

Body

From a Mon Jan  6 10:00:00 2025
Message-ID: <t2@x>
In-Reply-To: <t1@x>
References: <t1@x>
Date: Mon, 06 Jan 2025 10:00:00 +0000
From: "Dario Iqbal" <dario.phone@gmail.example>
To: me@example.org
Subject: Re: Hello

Body
"""


def test_a_reply_from_another_address_in_the_same_thread_is_the_same_person(
    net: Network, tmp_path: Path
) -> None:
    net.add("Dario Iqbal", organisation="Unilever")  # a namesake elsewhere
    net.add("Dario Iqbal", organisation="KPMG")
    box = tmp_path / "mail.mbox"
    box.write_text(MBOX_THREAD, encoding="utf-8")
    report = net.import_file(box, me=["me@example.org"])
    assert report.new == 0 and net.count() == 2
    kpmg = net.get("dario.iqbal83@kpmg.example")
    assert kpmg.organisation == "KPMG"
    assert sorted(kpmg.emails) == ["dario.iqbal83@kpmg.example", "dario.phone@gmail.example"]


def test_two_linkedin_profiles_are_never_merged_automatically() -> None:
    # namesakes at one organisation: the exact name and the organisation agree, the
    # profiles do not
    a = side("Samuel Patel", "Atlas Studio", url="https://www.linkedin.com/in/samuel-patel-1")
    b = side("Samuel Patel", "Atlas Studio", url="https://www.linkedin.com/in/samuel-patel-2")
    verdict = judge(a, b)
    assert verdict.outcome is Outcome.REVIEW and "two LinkedIn profiles" in verdict.reason
    assert judge(a, side("Samuel Patel", "Atlas Studio")).outcome is Outcome.MERGE


def test_an_address_fitting_two_namesakes_with_profiles_is_a_question(
    net: Network, tmp_path: Path
) -> None:
    connections = tmp_path / "Connections.csv"
    connections.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Samuel,Patel,https://www.linkedin.com/in/sp-1,,Atlas Studio,Lawyer,08 Feb 2024\n"
        "Samuel,Patel,https://www.linkedin.com/in/sp-2,,Atlas Studio,CEO,08 Feb 2024\n",
        encoding="utf-8")
    ics = tmp_path / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
        "DTSTART:20250101T100000Z\r\nDTEND:20250101T110000Z\r\nSUMMARY:Coffee\r\n"
        "ORGANIZER;CN=Me:mailto:me@example.org\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Samuel Patel:mailto:samuel.patel7@atlasstudio.example"
        "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    first = net.import_file([connections, ics], me=["me@example.org"])
    assert first.new == 3 and len(first.possible_duplicates) == 2
    again = net.import_file([connections, ics], me=["me@example.org"])
    assert (again.new, again.updated) == (0, 0) and net.count() == 3
