"""Time the schedule page of a conference of 30 rooms and 900 talks, uncached.

    .venv/bin/python benchmarks/schedule_grid.py                # 30 rooms, 900 talks, one day
    .venv/bin/python benchmarks/schedule_grid.py --rooms 30 --talks 900 --days 2 --repeat 20

It builds ``talks.synthetic.generate_room_grid`` in a separate SQLite database
(``var/benchmark-grid.sqlite3``), then requests the page in-process through Django's test
client with the server-side cache off, so every request runs the queries and renders the
template: it prints the query count and the fastest and median request times.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--talks", type=int, default=900)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20, help="requests to time")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'benchmark-grid.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"  # development static files
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talks.synthetic import generate_room_grid

    settings.CATALOG_SERVER_CACHE = False  # uncached: every request queries and renders
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    conference = generate_room_grid(rooms=args.rooms, talks=args.talks, days=args.days)
    url = f"/conferences/{conference.slug}/schedule/"
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # the first also fills Django's template cache
    assert response.status_code == 200, response.status_code
    # CPU time as well as wall time: on a shared machine the wall time includes waiting for
    # a core, the CPU time only the work.
    wall, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{url}: {args.rooms} rooms, {args.talks} talks, {args.days} day(s); "
        f"{len(queries)} queries, {len(response.content) / 1024:.0f} KiB\n"
        f"{args.repeat} uncached requests: wall time fastest {min(wall):.1f} ms, "
        f"median {statistics.median(wall):.1f} ms; CPU time fastest {min(cpu):.1f} ms, "
        f"median {statistics.median(cpu):.1f} ms"
    )


if __name__ == "__main__":
    main()
