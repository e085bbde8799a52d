"""Benchmark the public pages, the API and the exports on a generated catalog.

    make bench                                  # 10,000 talks on SQLite
    .venv/bin/python benchmarks/run.py --talks 50000 --repeat 5
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/run.py

It builds a separate database (``var/benchmark.sqlite3`` unless DATABASE_URL is set), fills it
with ``generate_catalog``, then requests each URL in-process through Django's test client and
prints, per URL, the status, the number of SQL queries and the time of the first request
(cold: nothing stored yet), the response size, and the median time of the repeats that follow
(warm: served from the server-side cache of ``talks.caching``). Results are also
written as JSON (``--output``) so runs can be compared. Times depend on the machine; query
counts must not depend on ``--talks``.
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Where the catalog lives; each entry is (label, URL) with {conf} for the conference slug.
ENDPOINTS = [
    ("home", "/"),
    ("conference page", "/conferences/{conf}/"),
    ("talk list", "/conferences/{conf}/talks/"),
    ("talk list, filtered", "/conferences/{conf}/talks/?day=2&track=track-1&q=containers"),
    ("talk list, page 400", "/conferences/{conf}/talks/?page=400"),
    ("talk page", "/conferences/{conf}/talks/talk-1/"),
    ("schedule page", "/conferences/{conf}/schedule/"),
    ("speakers", "/speakers/"),
    ("API talks", "/api/v1/talks/?conference={conf}"),
    ("API talks, filtered", "/api/v1/talks/?conference={conf}&day=2&search=containers"),
    ("API talks, page size 100", "/api/v1/talks/?conference={conf}&page_size=100"),
    ("API talks, last page", "/api/v1/talks/?conference={conf}&page=last"),
    ("API talk detail", "/api/v1/talks/{talk_id}/"),
    ("API speakers", "/api/v1/speakers/"),
    ("iCalendar export", "/conferences/{conf}/schedule.ics"),
    ("frab XML export", "/conferences/{conf}/schedule.xml"),
    ("frab JSON export", "/conferences/{conf}/schedule.json"),
    ("talks feed", "/conferences/{conf}/talks/feed/"),
    ("sitemap", "/sitemap.xml"),
]


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - started) * 1000, response


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=10_000, help="talks in the conference")
    parser.add_argument("--repeat", type=int, default=3, help="warm requests per URL")
    parser.add_argument("--output", default=str(ROOT / "var" / "benchmark.json"))
    return parser.parse_args()


def main():
    args = parse_args()
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'benchmark.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("DJANGO_SERVER_CACHE", "1")  # one process: local memory is shared
    os.environ.setdefault("DJANGO_THROTTLE_ANON", "off")  # it measures speed, not rate limits

    import django

    django.setup()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from talks.models import Talk
    from talks.synthetic import SLUG_PREFIX, Scale, generate_catalog

    setup_test_environment(debug=False)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 4xx are in the table
    call_command("migrate", verbosity=0)
    # Production settings serve hashed static file names, which need the manifest.
    call_command("collectstatic", "--no-input", verbosity=0)
    print(f"Generating {args.talks} talks ...", flush=True)
    generate_catalog(Scale(talks_per_conference=args.talks))
    conference = f"{SLUG_PREFIX}1"
    talk_id = Talk.objects.get(conference__slug=conference, slug="talk-1").pk

    client = Client()
    results = []
    header = (
        f"{'endpoint':32} {'status':>6} {'queries':>7} {'KiB':>8} {'cold ms':>9} {'warm ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, template in ENDPOINTS:
        url = template.format(conf=conference, talk_id=talk_id)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            cold, response = timed_get(client, url)
        query_count = len(queries)  # read now: later requests reset the connection's log
        warm = [timed_get(client, url)[0] for _ in range(args.repeat)]
        row = {
            "endpoint": label,
            "url": url,
            "status": response.status_code,
            "queries": query_count,
            "bytes": len(response.content),
            "cold_ms": round(cold, 1),
            "warm_median_ms": round(statistics.median(warm), 1) if warm else None,
        }
        results.append(row)
        print(
            f"{label:32} {row['status']:>6} {row['queries']:>7} {row['bytes'] / 1024:>8.1f} "
            f"{row['cold_ms']:>9} {row['warm_median_ms']!s:>8}"
        )
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps({"talks": args.talks, "results": results}, indent=2))
    print(f"\nWrote {output}")


if __name__ == "__main__":
    main()
