"""Catalog search on PostgreSQL: full-text search, with trigram similarity for near-misses.

Migration 0005 gives each searched table a stored ``search_document`` (its fields weighted A,
B, C under the ``catalog_search`` configuration: the ``simple`` one, without stemming, with
diacritics folded by ``unaccent``) and ``search_name`` (its title or name alone), each with a
GIN index; ``ts_rank`` ranks the matches within each tier. When
nothing matches, titles and names are compared by trigrams (pg_trgm's ``word_similarity``,
GIN-indexed), so a typo still finds what was meant.
"""

from .base import SearchBackend, Tier

TABLES = {"talk": "talks_talk", "speaker": "talks_speaker", "conference": "talks_conference"}
# What near-misses are compared with: each record's title or name.
NAMED_BY = {"talk": "title", "speaker": "name", "conference": "name"}


def _tsquery(terms):
    # Only letters and digits reach here (terms.WORD), so no word is read as an operator.
    return " & ".join(f"{term.word}:*" if term.is_prefix else term.word for term in terms)


class PostgreSQLSearch(SearchBackend):
    finds_near_misses = True

    def matches(self, kind, terms, tier, ranked):
        # search_name: the title or name alone, so that the first tier is read from its own
        # index rather than by checking the whole record of every match.
        named = "search_name @@ query"
        where = {
            None: "search_document @@ query",
            Tier.NAMED: named,
            Tier.OTHER: f"search_document @@ query AND NOT {named}",
        }[tier]
        score = "ts_rank(search_document, query)" if ranked else "0"
        sql = (
            f"SELECT id, {score} AS score "
            f"FROM {TABLES[kind]}, to_tsquery('catalog_search', %s) AS query WHERE {where}"
        )
        return sql, [_tsquery(terms)]

    def near_matches(self, kind, terms, ranked, passing):
        # "<%": word_similarity() above pg_trgm's threshold (0.6), which the GIN index serves;
        # every record passing it is a hit, so the filters are applied to the hits.
        column, words = NAMED_BY[kind], " ".join(term.word for term in terms)
        sql = (
            f"SELECT id, word_similarity(%s, {column}) AS score FROM {TABLES[kind]} "
            f"WHERE %s <%% {column}"
        )
        return sql, [words, words]
