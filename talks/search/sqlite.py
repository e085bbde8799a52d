"""Catalog search on SQLite: FTS5 tables ranked with bm25().

Each searched table has an FTS5 table named after it (``talks_talk_search``...), created by
migration 0005, whose row id is the record's id and whose text is read from the table itself
(external content). Triggers on the tables keep the index in step with every write, bulk
inserts, ``QuerySet.update()`` and raw SQL included; ``ensure_index_sync`` creates them after
every migrate, because SQLite drops a table's triggers when a migration rebuilds the table, and
then rebuilds the index from the tables.
"""

from .base import SearchBackend, Tier

# Searched table -> its columns, most telling first, and their bm25() weights.
INDEXED = {
    "talk": ("talks_talk", {"title": 10.0, "subtitle": 4.0, "abstract": 1.0}),
    "speaker": ("talks_speaker", {"name": 10.0, "role": 4.0, "bio": 1.0}),
    "conference": (
        "talks_conference",
        {"name": 10.0, "tagline": 4.0, "venue": 1.0, "city": 1.0, "country": 1.0},
    ),
}


def _triggers(table, columns):
    index = f"{table}_search"
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    add = f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});"
    # External content: the index is told what it held, to take exactly that out.
    remove = f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return {
        f"{index}_insert": f"AFTER INSERT ON {table} BEGIN {add} END",
        f"{index}_delete": f"AFTER DELETE ON {table} BEGIN {remove} END",
        f"{index}_update": f"AFTER UPDATE OF {names} ON {table} BEGIN {remove} {add} END",
    }


def ensure_index_sync(connection):
    """Create the missing sync triggers, and rebuild each index that lacked one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = set(cursor.fetchall())
        for table, weights in INDEXED.values():
            if ("table", f"{table}_search") not in existing:
                continue  # not migrated (yet, or any more)
            missing = {
                name: body
                for name, body in _triggers(table, weights).items()
                if ("trigger", name) not in existing
            }
            for name, body in missing.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
            if missing:
                cursor.execute(f"INSERT INTO {table}_search({table}_search) VALUES ('rebuild')")


def _match_expression(terms, kind, tier):
    # Each word quoted, so that nothing typed is read as FTS5 syntax (AND, NEAR, column:...).
    words = " ".join(f'"{term.word}"{"*" if term.is_prefix else ""}' for term in terms)
    _, columns = INDEXED[kind]
    named = f"{{{next(iter(columns))}}} : ({words})"  # every word in the title or name
    if tier is None:
        return words
    return named if tier is Tier.NAMED else f"({words}) NOT {named}"


class SQLiteSearch(SearchBackend):
    # "+id" is an expression, not the row id: SQLite then reads the matches once and checks
    # each against the filters (scoring only those that pass), instead of handing the ids to
    # FTS5, which runs the whole query again for each id that passes.
    filtered_id = "+id"

    def matches(self, kind, terms, tier, ranked):
        table, weights = INDEXED[kind]
        index = f"{table}_search"
        # bm25() is lower for better matches: negated, higher ranks first as on PostgreSQL.
        bm25 = ", ".join(str(weight) for weight in weights.values())
        score = f"-bm25({index}, {bm25})" if ranked else "0"
        sql = f"SELECT rowid AS id, {score} AS score FROM {index} WHERE {index} MATCH %s"
        return sql, [_match_expression(terms, kind, tier)]
