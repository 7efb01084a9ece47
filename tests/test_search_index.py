"""The people search index (migration 0007): kept by triggers on every write, accent-,
case- and ending-insensitive, ranked; on SQLite and, with --db-url, on PostgreSQL."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netfolio.core.search import Phrase, highlights, matching


def _ids(net: Any, text: str, column: str | None = None) -> set[int]:
    phrase = Phrase.of(text, prefix=False)
    with net.session() as s:
        return matching(db_session=s, phrases=[phrase] if phrase else [], column=column)


def test_every_write_keeps_the_index_current(net: Any) -> None:
    ana = net.add("Ana Núñez", organisation="Clínic Barcelona", title="Neurologist",
                  notes="hiring a data team")
    bo = net.add("Bo Li", organisation="Data Corp", title="Engineering Manager")
    assert _ids(net, "NUNEZ", "name") == {ana.id}  # accents and case folded
    assert _ids(net, "clinic", "organisation") == {ana.id}
    assert _ids(net, "hire") == {ana.id}  # stemmed: hiring
    net.tag(bo.id, ["climbing"])
    assert _ids(net, "climb", "tags") == {bo.id}
    net.tag(bo.id, remove=["climbing"])
    assert _ids(net, "climb") == set()
    shared = net.log([bo.id], intent="share", note="told me how they recruit analysts")
    net.log([bo.id], intent="catch_up", note="lunch about sailing")  # not a share: not indexed
    assert _ids(net, "recruiting", "shared") == {bo.id}
    assert _ids(net, "sailing") == set()
    net.unlog(shared.id)
    assert _ids(net, "recruit") == set()
    net.edit(bo.id, title="Head of Data")
    assert _ids(net, "manager") == set() and _ids(net, "head", "title") == {bo.id}
    net.set_fields(bo.id, ["law"])
    assert bo.id in _ids(net, "law", "fields")
    net.delete(ana.id)
    assert _ids(net, "neurologist") == set()


def test_ranked_search_puts_names_first(net: Any) -> None:
    ana = net.add("Ana Pérez", organisation="Acme", title="Designer")
    ananya = net.add("Ananya Rao", organisation="Globex", title="Analyst")
    manager = net.add("Cy Doe", organisation="Ana Labs", title="Manager")
    noted = net.add("Di Roe", organisation="Initech", title="Chef", notes="met via Ana")
    found = [p.id for p in net.people("ana")]
    assert found == [ana.id, ananya.id, manager.id, noted.id]
    assert [p.id for p in net.people(organisation="ana labs")] == [manager.id]
    assert [p.id for p in net.people("perez")] == [ana.id]  # "Pérez" without its accent
    with net.session() as s:
        marked = highlights(db_session=s, person_ids=[noted.id], phrases=[Phrase(("ana",))])
    assert marked[noted.id]["notes"][1] == ("Ana",)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="aáàäâãåeéèëêiíïoóöôõøuúüûnñcçsšzžAÁÉÖÜÑ", min_size=3, max_size=10))
def test_any_accented_name_is_found_by_its_plain_letters(net: Any, name: str) -> None:
    """Whatever the accents and case, a name is found by its plain lower-case letters."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", name.lower())
                    if not unicodedata.combining(c)).replace("ø", "o")
    person = net.add(f"{name} Tester")
    try:
        assert person.id in [p.id for p in net.people(plain)]
        assert person.id in [p.id for p in net.people(name.upper())]
    finally:
        net.delete(person.id)


def test_words_in_angle_brackets_are_words(net: Any) -> None:
    """PostgreSQL's parser drops ``<...>`` as a markup tag; the index reads it as text, as
    SQLite's does (a note with words in brackets, a name written with them)."""
    quoted = net.add("Eve Adler", notes="met at <Kestrel Summit> in May")
    bracketed = net.add("<script>alert(1)</script>")
    assert _ids(net, "kestrel") == {quoted.id}
    assert _ids(net, "script", "name") == {bracketed.id}
