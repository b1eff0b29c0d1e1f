"""The full-text structure for the database in use: FTS5 on SQLite (words, and a
trigram table that makes "exact phrase" LIKE lookups indexed), tsvector on
PostgreSQL. Other databases get neither and the engine refuses to search there."""

from django.db import migrations

TEXT = "portal_search_searchtext"

# Dropped by 0010 (the engine writes these rows per batch); its reverse restores it.
INSERT_TRIGGER = f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON {TEXT} BEGIN
        INSERT INTO search_fts(rowid, words_a, words_b, words_c)
        VALUES (new.entry_id, new.words_a, new.words_b, new.words_c);
        INSERT INTO search_phrase(rowid, compact) VALUES (new.entry_id, new.compact);
    END"""
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        words_a, words_b, words_c,
        content='{TEXT}', content_rowid='entry_id',
        tokenize='unicode61 remove_diacritics 0')""",
    # Its own copy of the compact text: checking a LIKE candidate then reads small
    # rows instead of whole documents.
    """CREATE VIRTUAL TABLE search_phrase USING fts5(
        compact, tokenize='trigram', detail='none')""",
    INSERT_TRIGGER,
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON {TEXT} BEGIN
        INSERT INTO search_fts(search_fts, rowid, words_a, words_b, words_c)
        VALUES ('delete', old.entry_id, old.words_a, old.words_b, old.words_c);
        DELETE FROM search_phrase WHERE rowid = old.entry_id;
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON {TEXT} BEGIN
        INSERT INTO search_fts(search_fts, rowid, words_a, words_b, words_c)
        VALUES ('delete', old.entry_id, old.words_a, old.words_b, old.words_c);
        INSERT INTO search_fts(rowid, words_a, words_b, words_c)
        VALUES (new.entry_id, new.words_a, new.words_b, new.words_c);
        DELETE FROM search_phrase WHERE rowid = old.entry_id;
        INSERT INTO search_phrase(rowid, compact) VALUES (new.entry_id, new.compact);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_phrase",
]
POSTGRES_FORWARD = [
    f"""ALTER TABLE {TEXT} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, words_a), 'A')
        || setweight(to_tsvector('simple'::regconfig, words_b), 'B')
        || setweight(to_tsvector('simple'::regconfig, words_c), 'C')
    ) STORED""",
    f"CREATE INDEX search_entry_vector ON {TEXT} USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector",
    f"ALTER TABLE {TEXT} DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
