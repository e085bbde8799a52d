"""The queries every page of the catalog runs use an index, so their cost does not grow with
the number of talks. Checked on the query plan (SQLite), never on timings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talks.freshness import catalog_last_change

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans"),
]


def query_plan(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def test_catalog_last_change_reads_one_index_entry_per_table():
    # The home page's Last-Modified: a scan of every talk and speaker row without the index.
    with CaptureQueriesContext(connection) as queries:
        catalog_last_change()
    (query,) = queries.captured_queries
    steps = [step for step in query_plan(query["sql"]) if step.startswith(("SCAN", "SEARCH"))]
    assert steps
    assert all("INDEX" in step and "updated_at" in step for step in steps), steps
