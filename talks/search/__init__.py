"""One search over talks, speakers and conferences (``/search/`` and ``/api/v1/search/``).

``search_catalog(query, filters)`` gives the ranked ``Hits``, to page through with a
Paginator. The engine behind it is chosen by the database: FTS5 on SQLite
(``talks.search.sqlite``), full-text search on PostgreSQL (``talks.search.postgres``); both
match the same words (``talks.search.terms``) and, when none matches, the same near-misses by
trigrams (pg_trgm on PostgreSQL, ``talks.search.trigrams`` on SQLite).
"""

from django.db import connection

from .base import Hit, Hits, SearchFilters
from .postgres import PostgreSQLSearch
from .sqlite import SQLiteSearch
from .terms import parse_terms

__all__ = ["Hit", "Hits", "SearchFilters", "search_catalog"]

BACKENDS = {"sqlite": SQLiteSearch, "postgresql": PostgreSQLSearch}


def search_catalog(query, filters=None, near_misses=True):
    """The hits for the words of ``query`` (plain text; any syntax in it is taken as words);
    without ``near_misses``, no hits rather than near-misses when no record has the words."""
    backend = BACKENDS[connection.vendor]()
    if not near_misses:
        backend.finds_near_misses = False
    return Hits(backend, parse_terms(query), filters or SearchFilters())
