"""The ledger through the Network facade: people, the ledger, names, merging, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from netfolio.core import models
from netfolio.errors import AmbiguousError, PersonNotFound, ValidationError
from netfolio.network import Network


def count(net: Network, model: type) -> int:
    with net.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_add_person_with_every_fact(net: Network) -> None:
    p = net.add(
        "Ana Núñez", given_name="Ana", family_name="Núñez",
        emails=["Ana@Example.org", "work=ana@clinic.example"], phones=["+34 612 34 56 78"],
        organisation="Hospital Clínic", title="Cardiologist", location="Barcelona",
        linkedin_url="linkedin.com/in/ana-nunez/", birthday="--03-15", how_met="conference",
        notes="runs a heart-imaging lab", tags=["mentor", "#research"], tier=15, closeness=4,
        connected_on=dt.date(2020, 5, 1),
    )
    got = net.get(p.id)
    assert got.emails == ["ana@example.org", "ana@clinic.example"]
    assert got.phones == ["+34612345678"]
    assert got.linkedin_url == "https://www.linkedin.com/in/ana-nunez"
    assert got.birthday == "--03-15"
    assert got.tags == ["mentor", "research"]
    assert (got.tier_override, got.closeness) == (15, 4)
    assert got.connected_on == "2020-05-01"
    assert got.fields[0] == "medicine"  # inferred from title and organisation
    assert got.inferred_fields == got.fields


def test_explicit_fields_override_inference(net: Network) -> None:
    p = net.add("Bo Lind", title="Cardiologist", fields=["arts_music"])
    assert net.get(p.id).fields == ["arts_music"] and net.get(p.id).inferred_fields == []


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"emails": ["not-an-email"]}, "not an email"),
        ({"phones": ["12"]}, "phone"),
        ({"birthday": "1990-02-30"}, "not a date"),
        ({"tier": 7}, "tier"),
        ({"closeness": 9}, "closeness"),
        ({"linkedin_url": "https://example.com/ana"}, "LinkedIn"),
        ({"fields": ["no-such-field-xyz"]}, "unknown field"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    net: Network, facts: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        net.add("Carla Reyes", **facts)
    assert count(net, models.Person) == 0
    assert count(net, models.PersonEmail) == 0


def test_identity_keys_are_unique(net: Network) -> None:
    net.add("Ana Núñez", emails=["ana@example.org"], linkedin_url="linkedin.com/in/ana")
    with pytest.raises(ValidationError, match="already belongs"):
        net.add("Someone Else", emails=["ANA@example.org"])
    with pytest.raises(ValidationError, match="already belongs"):
        net.add("Someone Else", linkedin_url="https://www.linkedin.com/in/ana/")
    assert count(net, models.Person) == 1


def test_names_resolve_by_id_email_name_prefix(net: Network) -> None:
    ana = net.add("Ana Núñez", emails=["ana@example.org"])
    ben = net.add("Ben Okafor")
    assert net.get(f"#{ana.id}").id == ana.id
    assert net.get(str(ben.id)).id == ben.id
    assert net.get("ANA@example.org").id == ana.id
    assert net.get("ana nunez").id == ana.id  # accents and case folded
    assert net.get("okafor").id == ben.id  # a unique word of the name


def test_unknown_name_suggests_the_closest(net: Network) -> None:
    net.add("Ana Núñez")
    net.add("Ben Okafor")
    with pytest.raises(PersonNotFound) as err:
        net.get("Ana Nunes")
    assert err.value.suggestions[0] == "Ana Núñez"
    assert "did you mean" in str(err.value)


def test_ambiguous_name_lists_candidates(net: Network) -> None:
    a = net.add("Sam Lee", organisation="Acme")
    b = net.add("Sam Lee", organisation="Globex")
    with pytest.raises(AmbiguousError) as err:
        net.get("sam lee")
    assert {pid for pid, _ in err.value.candidates} == {a.id, b.id}
    assert "Globex" in str(err.value)


def test_log_and_ledger(net: Network) -> None:
    net.add("Ana Núñez")
    net.add("Ben Okafor")
    row = net.log(["Ana Núñez", "Ben"], when="2026-11-03", intent="share", channel="video",
                  note="lab tour")
    assert row.date_only and row.when == "2026-11-03"
    assert [name for _, name in row.people] == ["Ana Núñez", "Ben Okafor"]
    ledger = net.ledger("Ana")
    assert [(i.intent, i.channel, i.initiator) for i in ledger.interactions] == [
        ("share", "video", "me")
    ]
    asked = net.log(["Ben"], intent="asked_of_me", when="yesterday")
    assert asked.initiator == "them"


def test_log_keeps_the_time_zone(net: Network) -> None:
    net.add("Ana Núñez")
    madrid = dt.timezone(dt.timedelta(hours=1))
    row = net.log(["Ana"], when=dt.datetime(2026, 11, 3, 14, 30, tzinfo=madrid))
    assert row.when == "2026-11-03T14:30+01:00"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"intent": "favour"}, "not a intent|not an intent|choose one of"),
     ({"channel": "pigeon"}, "choose one of"), ({"when": "someday maybe"}, "not a date"),
     ({"when": "2099-01-01"}, "future")],
)
def test_log_refuses_bad_input(net: Network, kwargs: dict[str, str], message: str) -> None:
    net.add("Ana Núñez")
    with pytest.raises(ValidationError, match=message):
        net.log(["Ana"], **kwargs)
    assert count(net, models.Interaction) == 0


def test_log_unknown_person_writes_nothing(net: Network) -> None:
    net.add("Ana Núñez")
    with pytest.raises(PersonNotFound):
        net.log(["Ana", "Nobody Atall"])
    assert count(net, models.Interaction) == 0


def test_unlog(net: Network) -> None:
    net.add("Ana Núñez")
    row = net.log(["Ana"])
    assert net.last_logged() is not None
    net.unlog(row.id)
    assert count(net, models.Interaction) == 0 and count(net, models.InteractionPerson) == 0


def test_introduction_is_a_give_to_both_and_an_edge(net: Network) -> None:
    net.add("Ana Núñez")
    net.add("Ben Okafor")
    row = net.introduce("Ana", "Ben", when="2026-11-02", note="both image hearts")
    assert row.intent == "give" and len(row.people) == 2
    assert net.ledger("Ana").knows == [(net.get("Ben").id, "Ben Okafor")]
    assert count(net, models.Introduction) == 1 and count(net, models.Knows) == 1


def test_merge_keeps_every_fact(net: Network) -> None:
    a = net.add("Ana Núñez", emails=["ana@example.org"], tags=["mentor"])
    b = net.add("Ana Nunez", emails=["ana.n@clinic.example"], phones=["+34612345678"],
                organisation="Hospital Clínic", tags=["research"], notes="met at ESC")
    c = net.add("Ben Okafor")
    net.log([f"#{a.id}"], when="2026-11-01")
    net.log([f"#{b.id}", "Ben"], when="2026-11-02")
    net.log([f"#{a.id}", f"#{b.id}"], when="2026-11-03")
    net.introduce(f"#{b.id}", "Ben", when="2026-11-04")
    merged = net.merge(f"#{a.id}", f"#{b.id}")
    assert merged.id == a.id
    assert merged.emails == ["ana@example.org", "ana.n@clinic.example"]
    assert merged.phones == ["+34612345678"]
    assert merged.organisation == "Hospital Clínic"
    assert merged.tags == ["mentor", "research"] and merged.notes == "met at ESC"
    assert merged.fact_sources["organisation"] == "cli"
    assert count(net, models.Person) == 2
    ledger = net.ledger(f"#{a.id}")
    assert len(ledger.interactions) == 4
    assert [len(i.people) for i in ledger.interactions if i.when == "2026-11-03"] == [1]
    assert ledger.knows == [(c.id, "Ben Okafor")]


def test_delete_removes_their_ledger_but_not_shared_interactions(net: Network) -> None:
    net.add("Ana Núñez", emails=["ana@example.org"])
    net.add("Ben Okafor")
    net.log(["Ana"])
    net.log(["Ana", "Ben"])
    net.delete("Ana")
    assert count(net, models.Person) == 1 and count(net, models.PersonEmail) == 0
    assert count(net, models.Interaction) == 1
    assert [len(i.people) for i in net.ledger("Ben").interactions] == [1]


def test_search_and_filters(net: Network) -> None:
    net.add("Ana Núñez", organisation="Hospital Clínic", title="Cardiologist",
            notes="heart imaging", tags=["mentor"], fields=["medicine"] if _has(net, "medicine")
            else None)
    net.add("Ben Okafor", organisation="Acme Robotics", title="Software Engineer",
            tags=["climbing"])
    assert [p.display_name for p in net.people("imaging")] == ["Ana Núñez"]
    assert [p.display_name for p in net.people("nunez cardio")] == ["Ana Núñez"]
    assert [p.display_name for p in net.people(organisation="acme")] == ["Ben Okafor"]
    assert [p.display_name for p in net.people(tag="climbing")] == ["Ben Okafor"]
    assert net.people("nothing-like-this") == []
    assert [p.display_name for p in net.people(limit=1, offset=1)] == ["Ben Okafor"]


def _has(net: Network, slug: str) -> bool:
    return any(f.slug == slug for f in net.fields())


def test_edit_and_tags(net: Network) -> None:
    net.add("Ana Núñez", emails=["ana@example.org"])
    info = net.edit("Ana", title="Chief of Cardiology", add_emails=["a2@example.org"],
                    remove_emails=["ana@example.org"], tier=5, birthday="1985-03-15")
    assert info.emails == ["a2@example.org"] and info.tier_override == 5
    assert info.birthday == "1985-03-15" and info.fact_sources["title"] == "cli"
    info = net.tag("Ana", add=["a", "b"], remove=[])
    info = net.tag("Ana", add=["c"], remove=["a"])
    assert info.tags == ["b", "c"]
    with pytest.raises(ValidationError):
        net.edit("Ana", remove_emails=["nobody@example.org"])


def test_me_settings(net: Network) -> None:
    me = net.init(name="Sam Rivera", emails=["Sam@Example.org"], weekly_budget=7)
    assert (me.name, me.emails, me.weekly_budget) == ("Sam Rivera", ["sam@example.org"], 7)
    with pytest.raises(ValidationError):
        net.init(weekly_budget=0)
    with pytest.raises(ValidationError):
        net.init(emails=["not an email"])
    assert net.me().weekly_budget == 7


def test_custom_field(net: Network) -> None:
    f = net.add_field("Beekeeping", "bees")
    assert f.slug == "beekeeping"
    net.add("Ana Núñez", fields=["Beekeeping"])
    assert [x.people for x in net.fields() if x.slug == "beekeeping"] == [1]
    with pytest.raises(ValidationError):
        net.add_field("beekeeping")


def test_merge_moves_job_changes_and_duplicate_proposals(net: Network) -> None:
    a = net.add("Ana Núñez", emails=["ana@example.org"])
    b = net.add("Ana Nunez", emails=["ana2@example.org"])
    c = net.add("Anna Nunes")
    with net.session() as s:
        s.add(models.JobChange(person_id=b.id, old_title="Resident", new_title="Cardiologist",
                               seen_on=dt.date(2026, 10, 1)))
        s.add(models.PossibleDuplicate(a_id=b.id, b_id=c.id, score=88.0, reason="name"))
        s.add(models.PossibleDuplicate(a_id=a.id, b_id=b.id, score=95.0, reason="name"))
    net.merge(f"#{a.id}", f"#{b.id}")
    with net.session() as s:
        changes = s.execute(select(models.JobChange)).scalars().all()
        assert [(j.person_id, j.new_title) for j in changes] == [(a.id, "Cardiologist")]
        pairs = s.execute(select(models.PossibleDuplicate)).scalars().all()
        assert [(d.a_id, d.b_id) for d in pairs] == [(a.id, c.id)]


def test_search_folds_case_beyond_ascii(net: Network) -> None:
    net.add("Jörg Müller", organisation="ÜNÏCODE Straße GmbH", notes="ÉCOLE d'été")
    assert [p.display_name for p in net.people(organisation="ünïcode straße")] == ["Jörg Müller"]
    assert [p.display_name for p in net.people("école")] == ["Jörg Müller"]
