"""SQLite's near-misses of the catalog search (talks.search.sqlite): an FTS5 table of the
trigrams of each searched table's title or name, reading its text from the table (external
content). Its sync triggers are created after every migrate, as those of 0005 are. PostgreSQL
has had its trigram indexes since 0005; other engines get nothing."""

from django.db import migrations

NAME_COLUMNS = [("talks_talk", "title"), ("talks_speaker", "name"), ("talks_conference", "name")]


def _drop_triggers(schema_editor, table):
    for event in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_names_{event}")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, column in NAME_COLUMNS:
        _drop_triggers(schema_editor, table)
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {table}_names USING fts5({column}, content='{table}', "
            "content_rowid='id', tokenize='trigram')"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, _ in NAME_COLUMNS:
        _drop_triggers(schema_editor, table)
        schema_editor.execute(f"DROP TABLE {table}_names")


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0006_updated_at_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
