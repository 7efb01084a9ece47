"""the people search index: SQLite FTS5 or PostgreSQL full-text search, kept by triggers

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-06 03:20:00

One row per person in ``person_search``, over their name, organisation, title, fields, tags,
notes (yours, and how you met), what they told you (the notes of ``share`` interactions) and
place. Database triggers keep it current with every write, whichever code path writes
(the CLI, the web app, the import pipeline, a restore), so no writer has to remember it.

- SQLite: an FTS5 table (``porter`` stemming over ``unicode61 remove_diacritics 2``: case,
  accents and word endings folded), ranked with ``bm25()``; rowid = person id.
- PostgreSQL: a table with the column texts and a ``tsvector`` (GIN index), accents folded by
  ``netfolio_fold()`` (``translate``, so no extension and no superuser is needed: team
  servers connect as an ordinary role), ``english`` stemming (``simple`` for names),
  owner-only row-level security like every private table.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0008"
branch_labels = None
depends_on = None

#: The stored code of Intent.SHARE (netfolio.core.enums: codes are the members' order).
SHARE = 1
COLUMNS = ("name", "organisation", "title", "fields", "tags", "notes", "shared", "place")
ACTING_USER = "NULLIF(current_setting('netfolio.user_id', true), '')::integer"
SQLITE_TRIGGERS = (
    "person_search_ai", "person_search_au", "person_search_ad", "person_field_search_ai",
    "person_field_search_ad", "person_tag_search_ai", "person_tag_search_ad",
    "interaction_person_search_ai", "interaction_person_search_ad", "interaction_search_au",
    "interaction_search_bd", "field_search_au",
)


#: Letters that FTS5's ``remove_diacritics`` keeps (they do not decompose in Unicode): folded
#: before indexing on SQLite (netfolio.core.search folds the query's the same way).
SQLITE_LETTERS = (("ø", "o"), ("Ø", "O"), ("ł", "l"), ("Ł", "L"), ("đ", "d"), ("Đ", "D"),
                  ("æ", "ae"), ("Æ", "AE"), ("œ", "oe"), ("Œ", "OE"), ("ß", "ss"), ("ð", "d"),
                  ("Ð", "D"), ("þ", "th"), ("Þ", "TH"), ("ı", "i"))


def _sqlite_fold(expr: str) -> str:
    for letter, plain in SQLITE_LETTERS:
        expr = f"replace({expr}, '{letter}', '{plain}')"
    return expr


def _texts(where: str, *, concat: str, agg: str, skip: str = "") -> str:
    """``SELECT id, <the eight column texts> FROM person p WHERE <where>`` (``skip``: an
    interaction id whose note no longer counts, for a trigger that runs before a delete)."""
    c = concat

    def joined(*parts: str) -> str:
        return f" {c} ' ' {c} ".join(f"coalesce({p}, '')" for p in parts)

    skipping = f" AND i.id <> {skip}" if skip else ""
    fold = _sqlite_fold if agg == "group_concat" else (lambda e: e)
    organisation, title = "coalesce(p.organisation, '')", "coalesce(p.title, '')"
    return (
        "SELECT p.id, "
        f"{fold(joined('p.display_name', 'p.given_name', 'p.family_name'))}, "
        f"{fold(organisation)}, {fold(title)}, "
        f"coalesce((SELECT {agg}(f.name {c} ' ' {c} replace(f.slug, '_', ' '), ' ') "
        "FROM person_field pf JOIN field f ON f.slug = pf.field WHERE pf.person_id = p.id), ''), "
        f"coalesce((SELECT {agg}(t.tag, ' ') FROM person_tag t WHERE t.person_id = p.id), ''), "
        f"{joined('p.notes', 'p.how_met')}, "
        f"coalesce((SELECT {agg}(i.note, ' ') FROM interaction_person ip JOIN interaction i "
        f"ON i.id = ip.interaction_id WHERE ip.person_id = p.id AND i.intent = {SHARE} "
        f"AND i.note IS NOT NULL{skipping}), ''), "
        "coalesce(p.location, '') "
        f"FROM person p WHERE {where}"
    )


def sqlite_statements() -> list[str]:
    cols = ", ".join(COLUMNS)

    def refresh(ids: str, skip: str = "") -> str:
        return (f"DELETE FROM person_search WHERE rowid IN ({ids}); "
                f"INSERT INTO person_search (rowid, {cols}) "
                + _texts(f"p.id IN ({ids})", concat="||", agg="group_concat", skip=skip) + ";")

    share_link = (f"EXISTS (SELECT 1 FROM interaction WHERE id = {{}}.interaction_id "
                  f"AND intent = {SHARE} AND note IS NOT NULL)")
    in_interaction = "SELECT person_id FROM interaction_person WHERE interaction_id = {}.id"
    out = [
        f"CREATE VIRTUAL TABLE person_search USING fts5({cols}, "
        "tokenize = 'porter unicode61 remove_diacritics 2')",
        f"INSERT INTO person_search (rowid, {cols}) "
        + _texts("1 = 1", concat="||", agg="group_concat"),
        "CREATE TRIGGER person_search_ai AFTER INSERT ON person BEGIN "
        + refresh("NEW.id") + " END",
        "CREATE TRIGGER person_search_au AFTER UPDATE OF display_name, given_name, family_name, "
        "organisation, title, notes, how_met, location ON person BEGIN "
        + refresh("NEW.id") + " END",
        "CREATE TRIGGER person_search_ad AFTER DELETE ON person BEGIN "
        "DELETE FROM person_search WHERE rowid = OLD.id; END",
        "CREATE TRIGGER field_search_au AFTER UPDATE OF name ON field BEGIN "
        + refresh("SELECT person_id FROM person_field WHERE field = NEW.slug") + " END",
    ]
    fields = ("(SELECT coalesce(group_concat(f.name || ' ' || replace(f.slug, '_', ' '), ' '), "
              "'') FROM person_field pf JOIN field f ON f.slug = pf.field "
              "WHERE pf.person_id = {})")
    tags = ("(SELECT coalesce(group_concat(t.tag, ' '), '') FROM person_tag t "
            "WHERE t.person_id = {})")
    for table, column, value in (("person_field", "fields", fields), ("person_tag", "tags", tags)):
        for when, row in (("INSERT", "NEW"), ("DELETE", "OLD")):
            pid = f"{row}.person_id"
            out.append(f"CREATE TRIGGER {table}_search_a{when[0].lower()} AFTER {when} ON {table} "
                       f"BEGIN UPDATE person_search SET {column} = {value.format(pid)} "
                       f"WHERE rowid = {pid}; END")
    # a new share appends its note (re-reading every note of a close tie on each new one
    # would make importing a long history quadratic); removing one rebuilds the row
    out.append("CREATE TRIGGER interaction_person_search_ai AFTER INSERT ON interaction_person "
               f"WHEN {share_link.format('NEW')} BEGIN UPDATE person_search SET shared = "
               "ltrim(shared || ' ' || (SELECT note FROM interaction WHERE id = "
               "NEW.interaction_id)) WHERE rowid = NEW.person_id; END")
    out.append("CREATE TRIGGER interaction_person_search_ad AFTER DELETE ON interaction_person "
               f"WHEN {share_link.format('OLD')} BEGIN {refresh('OLD.person_id')} END")
    out.append("CREATE TRIGGER interaction_search_au AFTER UPDATE OF note, intent ON interaction "
               f"WHEN OLD.intent = {SHARE} OR NEW.intent = {SHARE} "
               f"BEGIN {refresh(in_interaction.format('NEW'))} END")
    out.append("CREATE TRIGGER interaction_search_bd BEFORE DELETE ON interaction "
               f"WHEN OLD.intent = {SHARE} AND OLD.note IS NOT NULL "
               f"BEGIN {refresh(in_interaction.format('OLD'), skip='OLD.id')} END")
    return out


# PostgreSQL: accents folded with translate() (no unaccent extension needed).
_ACCENTED = ("àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧ"
             "ùúûüũūŭůűųŵýÿŷźżž")
_PLAIN = ("aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuu"
          "uuuuuuuuwyyyzzz")


def postgres_statements() -> list[str]:
    assert len(_ACCENTED) == len(_PLAIN), "one plain letter per accented one"
    cols = ", ".join(COLUMNS)
    tcols = ", ".join(f"t.{c}" for c in COLUMNS)
    texts = _texts("p.id = pid", concat="||", agg="string_agg", skip="coalesce(skip, 0)")
    appended = (
        "setweight(to_tsvector('simple', netfolio_fold(name)), 'A') || "
        "setweight(to_tsvector('english', netfolio_fold(organisation || ' ' || title)), 'B') || "
        "setweight(to_tsvector('english', netfolio_fold(fields || ' ' || tags)), 'C') || "
        "setweight(to_tsvector('english', netfolio_fold(notes || ' ' || shared || ' ' || n "
        "|| ' ' || place)), 'D')"
    )
    vector = (
        "setweight(to_tsvector('simple', netfolio_fold(name)), 'A') || "
        "setweight(to_tsvector('english', netfolio_fold(organisation || ' ' || title)), 'B') || "
        "setweight(to_tsvector('english', netfolio_fold(fields || ' ' || tags)), 'C') || "
        "setweight(to_tsvector('english', netfolio_fold(notes || ' ' || shared || ' ' || place)),"
        " 'D')"
    )
    return [
        # æ, œ, ß become two letters; the rest one for one
        "CREATE FUNCTION netfolio_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
        "PARALLEL SAFE AS $$ SELECT translate(replace(replace(replace(lower(t), 'æ', 'ae'), "
        f"'œ', 'oe'), 'ß', 'ss'), '{_ACCENTED}', '{_PLAIN}') $$",
        "CREATE TABLE person_search ("
        " person_id integer PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,"
        f" owner_id integer NOT NULL DEFAULT {ACTING_USER},"
        + "".join(f" {c} text NOT NULL DEFAULT ''," for c in COLUMNS)
        + " doc tsvector NOT NULL)",
        "CREATE INDEX ix_person_search_doc ON person_search USING gin (doc)",
        "CREATE INDEX ix_person_search_owner_id ON person_search (owner_id)",
        "ALTER TABLE person_search ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE person_search FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_only ON person_search USING (owner_id = {ACTING_USER}) "
        f"WITH CHECK (owner_id = {ACTING_USER})",
        # refresh one person's row (nothing when the person is gone)
        "CREATE FUNCTION netfolio_search_refresh(pid integer, skip integer DEFAULT NULL) "
        "RETURNS void LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM person_search WHERE person_id = pid; "
        f"INSERT INTO person_search (person_id, owner_id, {cols}, doc) "
        f"SELECT t.person_id, t.owner_id, {tcols}, {vector} FROM ("
        f"SELECT p.owner_id, s.* FROM ({texts}) AS s ({', '.join(('id', *COLUMNS))}) "
        "JOIN person p ON p.id = s.id) AS t (owner_id, person_id, "
        f"{cols}); END $$",
        "CREATE FUNCTION netfolio_search_person() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM netfolio_search_refresh(NEW.id); RETURN NULL; END $$",
        "CREATE FUNCTION netfolio_search_link() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP = 'DELETE' THEN PERFORM netfolio_search_refresh(OLD.person_id); "
        "ELSE PERFORM netfolio_search_refresh(NEW.person_id); END IF; RETURN NULL; END $$",
        # a new share appends its note; removing one rebuilds the row
        "CREATE FUNCTION netfolio_search_share_link() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE n text; BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        "IF EXISTS (SELECT 1 FROM interaction "
        f"WHERE id = OLD.interaction_id AND intent = {SHARE} AND note IS NOT NULL) THEN "
        "PERFORM netfolio_search_refresh(OLD.person_id); END IF; RETURN NULL; END IF; "
        "SELECT note INTO n FROM interaction "
        f"WHERE id = NEW.interaction_id AND intent = {SHARE} AND note IS NOT NULL; "
        "IF n IS NOT NULL THEN UPDATE person_search SET shared = ltrim(shared || ' ' || n), "
        f"doc = {appended} WHERE person_id = NEW.person_id; END IF; RETURN NULL; END $$",
        # before an interaction goes, its people are refreshed without its note
        "CREATE FUNCTION netfolio_search_interaction() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE pid integer; r record; BEGIN "
        "IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF; "
        "FOR pid IN SELECT person_id FROM interaction_person WHERE interaction_id = r.id LOOP "
        "IF TG_OP = 'DELETE' THEN PERFORM netfolio_search_refresh(pid, r.id); "
        "ELSE PERFORM netfolio_search_refresh(pid); END IF; END LOOP; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NULL; END $$",
        "CREATE FUNCTION netfolio_search_field() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE pid integer; BEGIN "
        "FOR pid IN SELECT person_id FROM person_field WHERE field = NEW.slug LOOP "
        "PERFORM netfolio_search_refresh(pid); END LOOP; RETURN NULL; END $$",
        "CREATE TRIGGER person_search_aiu AFTER INSERT OR UPDATE OF display_name, given_name, "
        "family_name, organisation, title, notes, how_met, location ON person "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_search_person()",
        "CREATE TRIGGER person_field_search AFTER INSERT OR DELETE ON person_field "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_search_link()",
        "CREATE TRIGGER person_tag_search AFTER INSERT OR DELETE ON person_tag "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_search_link()",
        "CREATE TRIGGER interaction_person_search AFTER INSERT OR DELETE ON interaction_person "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_search_share_link()",
        "CREATE TRIGGER interaction_search_bd BEFORE DELETE ON interaction "
        f"FOR EACH ROW WHEN (OLD.intent = {SHARE} AND OLD.note IS NOT NULL) "
        "EXECUTE FUNCTION netfolio_search_interaction()",
        "CREATE TRIGGER interaction_search AFTER UPDATE OF note, intent ON interaction "
        f"FOR EACH ROW WHEN (OLD.intent = {SHARE} OR NEW.intent = {SHARE}) "
        "EXECUTE FUNCTION netfolio_search_interaction()",
        "CREATE TRIGGER field_search AFTER UPDATE OF name ON field "
        "FOR EACH ROW EXECUTE FUNCTION netfolio_search_field()",
        # backfill (the migration runs as the database's owner, before any user exists or
        # with RLS applying per owner: set each row's owner explicitly)
        f"INSERT INTO person_search (person_id, owner_id, {cols}, doc) "
        f"SELECT t.person_id, t.owner_id, {tcols}, {vector} FROM (SELECT p.owner_id, s.* FROM "
        f"({_texts('1 = 1', concat='||', agg='string_agg')}) AS s "
        f"({', '.join(('id', *COLUMNS))}) JOIN person p ON p.id = s.id) AS t (owner_id, "
        f"person_id, {cols})",
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in postgres_statements() if postgres else sqlite_statements():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS person_search CASCADE")
        for fn in ("netfolio_search_refresh(integer, integer)", "netfolio_search_person()",
                   "netfolio_search_link()", "netfolio_search_share_link()",
                   "netfolio_search_interaction()",
                   "netfolio_search_field()", "netfolio_fold(text)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn} CASCADE")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS person_search")
