"""Team mode through the services and the facade (PostgreSQL): isolation, sharing, the
directory, team ask and introductions; and row-level security under plain SQL."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import text

from netfolio.errors import ConfigError, NotFoundError, PersonNotFound, ValidationError
from netfolio.network import Network

pytestmark = pytest.mark.postgres

PRIVATE_TABLES = (
    "person", "person_email", "person_phone", "person_link", "person_field", "person_tag",
    "ask", "interaction", "interaction_person", "introduction", "knows", "import_run",
    "import_change", "possible_duplicate", "job_change", "plan_action", "setting",
    "share_rule",
)


def _jane(net: Network) -> int:
    return net.get("Jane Roe").id


# -- isolation through the services -----------------------------------------------------------


def test_a_member_cannot_read_anothers_people(team: Any) -> None:
    jane = _jane(team.ana)
    with pytest.raises(PersonNotFound):
        team.bob.get(jane)
    with pytest.raises(PersonNotFound):
        team.bob.get("Jane Roe")
    assert [p.display_name for p in team.bob.people()] == ["Sam Poe"]
    assert team.bob.count() == 1
    assert all("Jane" not in p.display_name for p in team.bob.people(text="Jane"))
    with pytest.raises(PersonNotFound):
        team.bob.ledger(jane)


def test_a_member_cannot_change_anothers_people(team: Any) -> None:
    jane = _jane(team.ana)
    with pytest.raises(PersonNotFound):
        team.bob.edit(jane, notes="overwritten by Bob")
    with pytest.raises(PersonNotFound):
        team.bob.delete(jane)
    with pytest.raises(PersonNotFound):
        team.bob.log([jane], when="today", intent="catch_up", channel="call")
    with pytest.raises(PersonNotFound):
        team.bob.tag(jane, add=["bob-was-here"])
    with pytest.raises(PersonNotFound):
        team.bob.merge("Sam Poe", jane)
    ana_jane = team.ana.get(jane)
    assert ana_jane.notes == "Ana's private note" and ana_jane.tags == []
    assert len(team.ana.ledger(jane).interactions) == 1


def test_a_member_cannot_unlog_anothers_interaction(team: Any) -> None:
    interaction = team.ana.ledger(_jane(team.ana)).interactions[0].id
    with pytest.raises(NotFoundError):
        team.bob.unlog(interaction)
    assert team.ana.ledger(_jane(team.ana)).interactions[0].id == interaction


def test_the_same_email_may_belong_to_two_members(team: Any) -> None:
    """Identity keys are unique per member: Bob's Jane is not Ana's."""
    bobs = team.bob.add("Jane R.", emails=["jane@stripe.example"])
    assert bobs.id != _jane(team.ana)
    assert team.ana.get(_jane(team.ana)).emails == ["jane@stripe.example"]


def test_settings_are_per_member(team: Any) -> None:
    team.ana.init(name="Ana Núñez", weekly_budget=7)
    team.bob.init(name="Bob Li")
    assert team.ana.me().weekly_budget == 7
    assert team.bob.me().weekly_budget == 5 and team.bob.me().name == "Bob Li"


def test_measures_count_only_the_members_own_network(team: Any) -> None:
    assert len(team.bob.snapshot().person_id) == 1
    assert len(team.ana.snapshot().ix_at) == 1
    assert len(team.bob.snapshot().ix_at) == 0
    assert [s.name for s in team.bob.standings()] == ["Sam Poe"]


def test_exports_hold_only_the_members_own_network(team: Any, tmp_path: Any) -> None:
    out = tmp_path / "bob.json"
    team.bob.backup(out)
    body = out.read_text()
    assert "Sam Poe" in body
    assert "Jane Roe" not in body and "Ana's private" not in body


# -- row-level security under plain SQL ---------------------------------------------------------


def test_plain_sql_sees_only_the_acting_members_rows(team: Any) -> None:
    with team.bob.session() as s:
        for table in PRIVATE_TABLES:
            owners = set(s.execute(text(f'SELECT DISTINCT owner_id FROM "{table}"')).scalars())
            assert owners <= {team.bob.user_id}, table
        assert s.execute(text("SELECT count(*) FROM person WHERE notes LIKE 'Ana%'")).scalar() == 0
        # and what it cannot see, it cannot change either
        changed = s.execute(text("UPDATE person SET notes = 'x' WHERE display_name = 'Jane Roe'"))
        assert changed.rowcount == 0
        deleted = s.execute(text("DELETE FROM interaction"))
        assert deleted.rowcount == 0
    assert team.ana.get("Jane Roe").notes == "Ana's private note"


def test_plain_sql_cannot_write_a_row_for_another_member(team: Any) -> None:
    from sqlalchemy.exc import ProgrammingError

    with pytest.raises(ProgrammingError, match="row-level security"), team.bob.session() as s:
        s.execute(text(
            "INSERT INTO person (owner_id, display_name, name_key, source, fact_sources, "
            "created_at, updated_at) VALUES (:o, 'Planted', 'planted', 'x', '{}', now(), now())"
        ), {"o": team.ana.user_id})
    assert team.ana.count() == 1


def test_a_connection_with_no_acting_member_sees_nothing(team: Any) -> None:
    base = team.ana.database
    with base.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM interaction")).scalar() == 0


def test_a_role_that_bypasses_row_level_security_is_refused(team: Any) -> None:
    admin = os.environ.get("NETFOLIO_TEST_PG_ADMIN_URL")
    if not admin:
        pytest.skip("needs a superuser URL in NETFOLIO_TEST_PG_ADMIN_URL")
    from sqlalchemy.engine import make_url

    url = make_url(admin).set(database=make_url(team.url).database)
    net = Network(url.render_as_string(hide_password=False), user="bob")
    with pytest.raises(ConfigError, match="bypasses row-level security"):
        net.count()
    net.close()


def test_a_team_database_needs_to_know_who_you_are(team: Any) -> None:
    net = Network(team.url)
    with pytest.raises(ConfigError, match="--user"):
        net.count()
    net.close()
    with pytest.raises(NotFoundError, match="no user 'carol'"):
        Network(team.url, user="carol").count()


# -- accounts and tokens ----------------------------------------------------------------------


def test_passwords_are_argon2_and_checked(team: Any) -> None:
    with team.ana.session() as s:
        stored = s.execute(text("SELECT password_hash FROM app_user WHERE username = 'ana'"))
        assert stored.scalar().startswith("$argon2")
    assert team.ana.team.authenticate("ana", team.passwords["ana"]).username == "ana"
    assert team.ana.team.authenticate("ana", team.passwords["bob"]) is None
    assert team.ana.team.authenticate("nobody", "whatever-password") is None
    with pytest.raises(ValidationError, match="already a user"):
        team.ana.team.add_user("bob", "another-password")
    with pytest.raises(ValidationError, match="at least 8"):
        team.ana.team.add_user("carol", "short")


def test_tokens_name_their_member_until_revoked(team: Any) -> None:
    token, info = team.bob.team.create_token("nightly script")
    assert token.startswith("nf_") and info.name == "nightly script"
    assert team.ana.team.user_for_token(token).username == "bob"
    with pytest.raises(NotFoundError):
        team.ana.team.revoke_token(info.id)  # not Ana's token
    team.bob.team.revoke_token(info.id)
    assert team.ana.team.user_for_token(token) is None
    assert team.ana.team.user_for_token("nf_forged") is None
    with team.bob.session() as s:  # only a digest is kept
        assert token not in str(s.execute(text("SELECT * FROM api_token")).all())


def test_the_first_account_takes_over_an_empty_ledger(pg_url: str) -> None:
    net = Network(pg_url)
    first = net.team.add_user("ana", "ana-password-1")
    assert first.id == 1 and [u.username for u in net.team.users()] == ["ana"]
    second = net.team.add_user("bob", "bob-password-1")
    assert second.id != 1
    net.close()


def test_team_accounts_need_postgresql(sqlite_url: str) -> None:
    net = Network(sqlite_url)
    with pytest.raises(ConfigError, match="PostgreSQL"):
        net.team.add_user("ana", "ana-password-1")
    net.close()


# -- sharing and the directory ----------------------------------------------------------------


def test_the_directory_shares_names_and_buckets_never_notes_or_contacts(team: Any) -> None:
    with team.bob.session() as s:
        rows = s.execute(text("SELECT * FROM directory_entry")).mappings().all()
    assert [r["display_name"] for r in rows] == ["Jane Roe"]
    shared = " ".join(str(v) for v in rows[0].values())
    assert "private" not in shared and "@" not in shared
    assert set(rows[0]) == {
        "owner_id", "id", "person_id", "display_name", "name_key", "organisation", "org_key",
        "title", "title_key", "field", "bucket", "updated_at",
    }


def test_a_member_cannot_write_anothers_directory(team: Any) -> None:
    with team.bob.session() as s:
        assert s.execute(text("UPDATE directory_entry SET bucket = 0")).rowcount == 0
        assert s.execute(text("DELETE FROM directory_entry")).rowcount == 0
    assert len(team.ana.team.directory()) == 1


def test_sharing_a_field_shares_its_people_and_a_person_rule_can_keep_one_out(
    team: Any,
) -> None:
    team.bob.add("Lee Wu", organisation="Stripe", title="Software Engineer",
                 fields=["software"])
    team.bob.add("Kim Ng", organisation="Acme", title="Backend Developer", fields=["software"])
    counts = team.bob.team.share(field="software")
    assert counts["shared"] == 2
    team.bob.team.share(person="Kim Ng", share=False)
    assert [e.display_name for e in team.bob.team.directory()] == ["Lee Wu"]
    team.bob.team.share(person="Kim Ng", share=None)
    assert {e.display_name for e in team.bob.team.directory()} == {"Lee Wu", "Kim Ng"}
    team.bob.team.share(field="software", share=None)
    assert team.bob.team.directory() == []
    assert team.bob.team.sharing().fields == []


def test_deleting_a_shared_person_removes_their_entry(team: Any) -> None:
    team.ana.delete("Jane Roe")
    assert team.bob.team.ask(organisation="Stripe").paths == []


def test_buckets_follow_tie_strength(team: Any) -> None:
    team.ana.add("Old Contact", organisation="Stripe", title="Designer")
    team.ana.team.share(person="Old Contact")
    for days in range(1, 60, 3):
        team.ana.log(["Jane Roe"], when=f"{days} days ago", intent="catch_up", channel="call")
    team.ana.team.sync()
    buckets = {e.display_name: e.bucket for e in team.ana.team.directory()}
    assert buckets["Jane Roe"] in ("strong", "familiar")
    assert buckets["Old Contact"] == "weak"


# -- team ask ---------------------------------------------------------------------------------


def test_team_ask_finds_a_teammates_shared_person_with_the_path(team: Any) -> None:
    answer = team.bob.team.ask(organisation="stripe")
    assert [lead.teammate for lead in answer.leads] == ["Ana Núñez"]
    assert [p.name for p in answer.paths] == ["Jane Roe"]
    (introducer,) = answer.paths[0].introducers
    assert introducer.teammate == "Ana Núñez" and introducer.strength in ("familiar", "weak")
    # Bob's own private Sam Poe (also at Stripe) is his, not a teammate's path
    assert team.ana.team.ask(organisation="Stripe").paths == []


def test_team_ask_by_organisation_is_a_whole_word_prefix(team: Any) -> None:
    assert team.bob.team.ask(organisation="Stripe Inc").paths
    assert not team.bob.team.ask(organisation="Strip").paths
    assert team.bob.team.ask(title="engineer").paths
    assert not team.bob.team.ask(title="engine").paths
    with pytest.raises(ValidationError):
        team.bob.team.ask()


def _members(url: str, *names: str) -> list[Network]:
    """Members with empty networks, each a Network acting for them."""
    admin = Network(url)
    for name in names:
        admin.team.add_user(name, f"{name}-password-1")
    admin.close()
    return [Network(url, user=name) for name in names]


def test_team_ask_ranks_the_teammate_who_knows_the_person_best_first(pg_url: str) -> None:
    ana, bob, cy = _members(pg_url, "ana", "bob", "cy")
    for member in (ana, bob):
        member.add("Jane Roe", organisation="Stripe", title="CTO")
        member.team.share(person="Jane Roe")
    for days in range(1, 90, 2):
        bob.log(["Jane Roe"], when=f"{days} days ago", intent="catch_up", channel="call")
    bob.team.sync()
    (path,) = cy.team.ask(organisation="Stripe").paths
    assert [i.teammate for i in path.introducers] == ["bob", "ana"]
    assert cy.team.ask(organisation="Stripe").leads[0].teammate == "bob"
    for member in (ana, bob, cy):
        member.close()


# -- introductions ----------------------------------------------------------------------------


def _request(team: Any) -> Any:
    entry = team.bob.team.ask(organisation="Stripe").paths[0].introducers[0].entry_id
    return team.bob.team.request_intro(entry, "Could you introduce me to Jane?")


def test_an_accepted_introduction_is_a_give_in_the_introducers_ledger(team: Any) -> None:
    asked = _request(team)
    assert asked.status == "pending" and asked.direction == "outgoing"
    (incoming,) = team.ana.team.requests()
    assert incoming.direction == "incoming" and incoming.message.startswith("Could you")
    team.ana.team.accept(asked.id)
    latest = team.ana.ledger("Jane Roe").interactions[0]
    assert latest.intent == "give" and "Bob Li" in (latest.note or "")
    (seen,) = team.bob.team.requests()
    assert seen.status == "accepted"
    assert "give" not in str(seen.to_dict()) and "private" not in str(seen.to_dict())
    team.bob.team.outcome(asked.id, "Met for coffee")
    assert team.ana.team.requests()[0].outcome == "Met for coffee"
    assert team.bob.count() == 1  # nothing of Ana's came across


def test_only_the_introducer_decides_and_only_once(team: Any) -> None:
    asked = _request(team)
    with pytest.raises(ValidationError, match="only the teammate asked"):
        team.bob.team.accept(asked.id)
    team.ana.team.decline(asked.id)
    with pytest.raises(ValidationError, match="declined already"):
        team.ana.team.accept(asked.id)
    with pytest.raises(ValidationError, match="only an accepted"):
        team.bob.team.outcome(asked.id, "nothing")
    assert len(team.ana.ledger("Jane Roe").interactions) == 1  # a decline logs nothing


def test_requests_are_seen_by_their_two_parties_only(pg_url: str) -> None:
    ana, bob, cy = _members(pg_url, "ana", "bob", "cy")
    ana.add("Jane Roe", organisation="Stripe")
    ana.team.share(person="Jane Roe")
    entry = bob.team.ask(organisation="Stripe").paths[0].introducers[0].entry_id
    asked = bob.team.request_intro(entry)
    assert cy.team.requests() == []
    with pytest.raises(NotFoundError):
        cy.team.accept(asked.id)
    with pytest.raises(NotFoundError):
        cy.team.withdraw(asked.id)
    with cy.session() as s:
        assert s.execute(text("SELECT count(*) FROM intro_request")).scalar() == 0
    bob.team.withdraw(asked.id)
    assert ana.team.requests()[0].status == "withdrawn"
    for member in (ana, bob, cy):
        member.close()


def test_you_cannot_ask_for_your_own_person_or_twice(team: Any) -> None:
    own = team.ana.team.directory()[0].id
    with pytest.raises(ValidationError, match="you shared yourself"):
        team.ana.team.request_intro(own)
    _request(team)
    with pytest.raises(ValidationError, match="already asked"):
        _request(team)


def test_imports_are_a_members_own_and_undo_only_their_own(team: Any, tmp_path: Any) -> None:
    card = tmp_path / "contacts.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Roe\r\nORG:Stripe\r\n"
        "EMAIL:jane@stripe.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Noor Haddad\r\nEMAIL:noor@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    report = team.bob.import_file(card)
    # Ana's Jane Roe has the same address: Bob's import makes his own, it never matches hers
    assert report.new == 2
    assert team.ana.count() == 1 and team.ana.get("Jane Roe").organisation == "Stripe, Inc."
    assert team.ana.import_history() == []
    team.bob.import_undo()
    assert [p.display_name for p in team.bob.people()] == ["Sam Poe"]


def test_an_import_brings_the_members_directory_up_to_date(team: Any, tmp_path: Any) -> None:
    team.ana.team.share(field="software")
    card = tmp_path / "lee.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lee Wu\r\nORG:Plaid\r\n"
                    "TITLE:Software Engineer\r\nEND:VCARD\r\n", encoding="utf-8")
    team.ana.import_file(card)
    assert "Lee Wu" in {e.display_name for e in team.ana.team.directory()}
    assert team.bob.team.ask(organisation="Plaid").paths[0].name == "Lee Wu"


def test_no_members_export_holds_the_servers_secrets(team: Any, tmp_path: Any) -> None:
    """The web server's cookie secret and password are the server's, not a member's: with
    the secret a member could sign a session as anyone."""
    from netfolio.web import create_app

    create_app(team.url)  # makes and keeps the session secret
    for member, name in ((team.ana, "ana"), (team.bob, "bob")):
        out = tmp_path / f"{name}.json"
        member.backup(out)
        body = out.read_text()
        assert "web_session_secret" not in body and "web_password_hash" not in body
