"""Catalog search on SQLite: FTS5 tables ranked with bm25(), and trigram tables for near-misses.

Each searched table has an FTS5 table of its words named after it (``talks_talk_search``...),
created by migration 0005, and one of the trigrams of its title or name (``talks_talk_names``...),
created by migration 0007; the row id of both is the record's id and their text is read from
the table itself (external content). Triggers on the tables keep them in step with every
write, bulk inserts, ``QuerySet.update()`` and raw SQL included; ``ensure_index_sync`` creates
them after every migrate, because SQLite drops a table's triggers when a migration rebuilds the
table, and then rebuilds the index from the tables.

Near-misses: the trigram table finds the titles and names sharing the most trigrams with the
words (bm25 over the trigrams, ``NEAR_MISS_CANDIDATES`` of each kind), and
``catalog_word_similarity()``, pg_trgm's ``word_similarity`` written in Python
(``talks.search.trigrams``), keeps those close enough, as PostgreSQL's ``<%`` does.
"""

from .base import SearchBackend, Tier
from .trigrams import NEAR_MISS_THRESHOLD, word_similarity, word_trigrams

# Searched table -> its columns, most telling first, and their bm25() weights.
INDEXED = {
    "talk": ("talks_talk", {"title": 10.0, "subtitle": 4.0, "abstract": 1.0}),
    "speaker": ("talks_speaker", {"name": 10.0, "role": 4.0, "bio": 1.0}),
    "conference": (
        "talks_conference",
        {"name": 10.0, "tagline": 4.0, "venue": 1.0, "city": 1.0, "country": 1.0},
    ),
}
# Searched table -> its title or name, which the trigram table (``{table}_names``) holds.
NAMED_BY = {
    "talk": ("talks_talk", "title"),
    "speaker": ("talks_speaker", "name"),
    "conference": ("talks_conference", "name"),
}
# The titles or names of each kind sharing the most trigrams with the words whose similarity is
# measured: a common trigram ("ing") is in thousands of titles, and the closest share most.
NEAR_MISS_CANDIDATES = 200
SIMILARITY_FUNCTION = "catalog_word_similarity"


def _indexes():
    """Each FTS5 table: (catalog table, index table, indexed columns)."""
    words = [(table, f"{table}_search", tuple(weights)) for table, weights in INDEXED.values()]
    names = [(table, f"{table}_names", (column,)) for table, column in NAMED_BY.values()]
    return words + names


def _triggers(table, index, columns):
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
        for table, index, columns in _indexes():
            if ("table", index) not in existing:
                continue  # not migrated (yet, or any more)
            missing = {
                name: body
                for name, body in _triggers(table, index, columns).items()
                if ("trigger", name) not in existing
            }
            for name, body in missing.items():
                cursor.execute(f"CREATE TRIGGER {name} {body}")
            if missing:
                cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def add_similarity_function(connection):
    """Give a new SQLite connection ``catalog_word_similarity(words, text)``."""
    connection.connection.create_function(
        SIMILARITY_FUNCTION, 2, word_similarity, deterministic=True
    )


def _match_expression(terms, kind, tier):
    # Each word quoted, so that nothing typed is read as FTS5 syntax (AND, NEAR, column:...).
    words = " ".join(f'"{term.word}"{"*" if term.is_prefix else ""}' for term in terms)
    _, columns = INDEXED[kind]
    named = f"{{{next(iter(columns))}}} : ({words})"  # every word in the title or name
    if tier is None:
        return words
    return named if tier is Tier.NAMED else f"({words}) NOT {named}"


class SQLiteSearch(SearchBackend):
    finds_near_misses = True
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

    def near_matches(self, kind, terms, ranked, passing):
        table, column = NAMED_BY[kind]
        index = f"{table}_names"
        words = " ".join(term.word for term in terms)
        # The words' own trigrams, without the padded ones the trigram tokenizer does not
        # index; each quoted, as in ``_match_expression``. None: nothing to look for.
        inner = {trigram for term in terms for trigram in word_trigrams(term.word)}
        inner = sorted(trigram for trigram in inner if " " not in trigram)
        if not inner:
            return "SELECT NULL AS id, 0 AS score WHERE 0", []
        match = " OR ".join(f'"{trigram}"' for trigram in inner)
        # The candidates among the records that pass the filters, or a filtered search would
        # lose hits ranked below others' candidates ("+rowid": see ``filtered_id``).
        passing_sql, passing_params = passing.get(kind, ("", []))
        filtered = f" AND +rowid IN ({passing_sql})" if passing_sql else ""
        candidates = (
            f"SELECT rowid AS id, {SIMILARITY_FUNCTION}(%s, {column}) AS score FROM {index} "
            f"WHERE {index} MATCH %s{filtered} ORDER BY rank LIMIT {NEAR_MISS_CANDIDATES}"
        )
        sql = f"SELECT id, score FROM ({candidates}) WHERE score >= {NEAR_MISS_THRESHOLD}"
        return sql, [words, match, *passing_params]
