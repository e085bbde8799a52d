"""Time the catalog search, uncached, on the database DATABASE_URL names.

    DATABASE_URL=sqlite:///var/search.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:///var/search.sqlite3 .venv/bin/python manage.py generate_catalog \\
        --conferences 100 --talks 200
    DATABASE_URL=sqlite:///var/search.sqlite3 .venv/bin/python manage.py loaddata dockercon-2017
    DATABASE_URL=sqlite:///var/search.sqlite3 .venv/bin/python benchmarks/search.py

For each query it runs the search as the page does (the count, then the first page of 20 hits
with their records loaded), repeated, and prints the median wall and CPU times, and the same
for the whole /search/ page and /api/v1/search/ answered through Django's test client with
the server-side cache off. Nothing is cached between repeats but the database's own
pages.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("common word (in most abstracts)", "containers"),
    ("two common words", "scaling tracing"),
    ("rare word", "overlay"),
    ("speaker name", "solomon hykes"),
    ("prefix", "observ"),
    ("near-miss typo", "kubernetse"),
    ("common word, filtered", "containers", {"year": "2005", "kind": "keynote"}),
]


def _medians(run, repeat):
    """Median wall time and median CPU time of this process, in ms. On SQLite the database
    works in this process, so its CPU time is the search's cost whatever else the machine
    runs; on PostgreSQL the server's work shows in the wall time only."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_THROTTLE_ANON", "off")  # the repeats exceed a client's rate

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from talks.models import Talk
    from talks.search import search_catalog
    from talks.search.forms import SearchForm

    settings.CATALOG_SERVER_CACHE = False
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    print(f"{connection.vendor}, {Talk.objects.count()} talks, medians of {args.repeat} runs")
    print(f"{'':43} {'wall/CPU ms:':>14} {'search':>13} {'page':>13} {'API':>13}")
    for label, query, *filters in QUERIES:
        params = {"q": query, **(filters[0] if filters else {})}
        form = SearchForm(params)
        assert form.is_valid(), form.errors

        def search(form=form):
            hits = search_catalog(form.query, form.filters)
            hits.count()
            return hits[:20]

        count = search_catalog(form.query, form.filters).count()
        timings = [
            _medians(run, args.repeat)
            for run in (
                search,
                lambda params=params: client.get("/search/", params),
                lambda params=params: client.get("/api/v1/search/", params),
            )
        ]
        cells = " ".join(f"{wall:6.1f}/{cpu:6.1f}" for wall, cpu in timings)
        print(f"{label:36} {count:>6} hits {cells:>56}")


if __name__ == "__main__":
    main()
