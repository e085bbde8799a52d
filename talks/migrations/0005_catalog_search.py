"""The catalog search's indexes (talks.search), one set per engine.

PostgreSQL: a text search configuration that folds case and diacritics, two stored tsvector
columns per searched table, each with a GIN index: the whole record (weighted fields) and its
title or name alone; and trigram indexes on titles and names for near-misses. SQLite: FTS5 tables over the same fields, reading their text from the
catalog tables (external content); the triggers that keep them in step are created after every
migrate (talks.search.sqlite.ensure_index_sync), since a table rebuild by a later migration
drops a table's triggers. Other engines get no index, and no search.
"""

from django.db import migrations

# (table, fields by weight A, B, C) for PostgreSQL; FTS5 takes the same fields in that order.
# The first field is the title or name (NAME_COLUMNS).
DOCUMENTS = [
    ("talks_talk", ["title"], ["subtitle"], ["abstract"]),
    ("talks_speaker", ["name"], ["role"], ["bio"]),
    ("talks_conference", ["name"], ["tagline"], ["venue", "city", "country"]),
]
NAME_COLUMNS = [("talks_talk", "title"), ("talks_speaker", "name"), ("talks_conference", "name")]


def _weighted(fields, weight):
    return " || ".join(
        f"setweight(to_tsvector('catalog_search', {field}), '{weight}')" for field in fields
    )


def _postgresql_forward(schema_editor):
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION catalog_search (COPY = simple)")
    schema_editor.execute(
        "ALTER TEXT SEARCH CONFIGURATION catalog_search "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
    )
    for table, *weighted in DOCUMENTS:
        document = " || ".join(
            _weighted(fields, weight) for fields, weight in zip(weighted, "ABC", strict=True)
        )
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search ON {table} USING gin (search_document)"
        )
    for table, column in NAME_COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_name tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('catalog_search', {column})) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search_name ON {table} USING gin (search_name)")
        schema_editor.execute(
            f"CREATE INDEX {table}_{column}_trigram ON {table} USING gin ({column} gin_trgm_ops)"
        )


def _postgresql_backward(schema_editor):
    for table, column in NAME_COLUMNS:
        schema_editor.execute(f"DROP INDEX {table}_{column}_trigram")
    for table, *_ in DOCUMENTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_name")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION catalog_search")


def _drop_sqlite_triggers(schema_editor, table):
    # The sync triggers (created after migrate) write to the index: they go with it.
    for event in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_{event}")


def _sqlite_forward(schema_editor):
    for table, *weighted in DOCUMENTS:
        _drop_sqlite_triggers(schema_editor, table)
        columns = ", ".join(field for fields in weighted for field in fields)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {table}_search USING fts5({columns}, content='{table}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3')"
        )


def _sqlite_backward(schema_editor):
    for table, *_ in DOCUMENTS:
        _drop_sqlite_triggers(schema_editor, table)
        schema_editor.execute(f"DROP TABLE {table}_search")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql_forward(schema_editor)
    elif vendor == "sqlite":
        _sqlite_forward(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _postgresql_backward(schema_editor)
    elif vendor == "sqlite":
        _sqlite_backward(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0004_conference_attendance_sources"),
    ]

    operations = [migrations.RunPython(forward, backward)]
