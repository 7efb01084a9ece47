"""Properties of the import pipeline over generated contact files: whatever cards a file
holds about a few people, importing it twice changes nothing the second time, and undoing
both imports gives back an empty ledger.

A card shows any part of what is known about one person: their name (in any case, with or
without accents), an email (in any case, or a broken one), a phone (written any way, or a
broken one), their organisation, a tag. Two different people share a name; their cards always
carry an email or a phone (a card with neither is matched by name and organisation alone, and
when a file holds two people of one name such a card can fit the other one on a second pass:
see docs/import.md).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netfolio.network import Network

PEOPLE = (
    # names, email, phone (two spellings), organisation
    (("Ana Núñez", "ANA NUNEZ", "ana nunez"), "ana@example.org",
     ("+34 612 345 678", "+34612345678"), "Acme"),
    (("Ben Okafor", "Ben Okafor"), "ben@example.org", ("+44 20 7946 0958", "+442079460958"),
     "Globex"),
    (("Jon Smith", "JON SMITH"), "jon@acme.example", ("+1 212 555 0101", "+12125550101"),
     "Acme"),
    (("Jon Smith", "Jon Smith"), "jon@globex.example", ("+1 212 555 0199", "+12125550199"),
     "Globex"),
    (("Chloé Dubois", "Chloe Dubois"), "chloe@example.fr", ("+33 6 12 34 56 78", "+33612345678"),
     "Initech"),
)
CARD = st.tuples(
    st.integers(0, len(PEOPLE) - 1),  # who
    st.integers(0, 2),  # which spelling of the name
    st.sampled_from(["", "same", "upper", "broken"]),  # email
    st.sampled_from(["", "0", "1", "broken"]),  # phone
    st.booleans(),  # organisation
    st.sampled_from(["", "mentor", "school"]),  # tag
)


def vcf(cards: list[tuple[int, int, str, str, bool, str]]) -> str:
    out = []
    for who, spelling, email, phone, with_org, tag in cards:
        names, address, phones, org = PEOPLE[who]
        if names[0] == "Jon Smith" and email in ("", "broken") and phone in ("", "broken"):
            email = "same"  # namesakes are told apart by their keys
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{names[spelling % len(names)]}"]
        if email:
            value = {"same": address, "upper": address.upper(), "broken": "not-an-email"}[email]
            lines.append(f"EMAIL:{value}")
        if phone:
            lines.append(f"TEL:{'12' if phone == 'broken' else phones[int(phone)]}")
        lines += [f"ORG:{org}"] if with_org else []
        lines += [f"CATEGORIES:{tag}"] if tag else []
        out.append("\r\n".join([*lines, "END:VCARD"]) + "\r\n")
    return "".join(out)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CARD, min_size=1, max_size=10))
def test_importing_twice_changes_nothing_and_undo_empties(
    _sqlite_template: Path, cards: list[tuple[int, int, str, str, bool, str]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        shutil.copyfile(_sqlite_template, db)
        path = Path(tmp) / "contacts.vcf"
        path.write_text(vcf(cards), encoding="utf-8")
        with Network(db) as net:
            first = net.import_file(path)
            people = net.count()
            assert first.new == people
            again = net.import_file(path)
            assert (again.new, again.updated, again.merged) == (0, 0, 0), again.summary
            assert again.unchanged == people and net.count() == people
            net.import_undo()
            net.import_undo()
            assert net.count() == 0 and net.duplicates(None) == []
