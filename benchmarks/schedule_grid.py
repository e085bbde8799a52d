"""Time the schedule page of a conference of 30 rooms and 900 talks, uncached, and its parts.

    .venv/bin/python benchmarks/schedule_grid.py               # 30 rooms, 900 talks, one day
    .venv/bin/python benchmarks/schedule_grid.py --rooms 30 --talks 900 --days 2 --repeat 20
    .venv/bin/python benchmarks/schedule_grid.py --catalog 200  # generate_catalog's conference
    .venv/bin/python benchmarks/schedule_grid.py --debug        # development settings

It builds ``talks.synthetic.generate_room_grid`` (or, with ``--catalog``, one conference of
``generate_catalog``: 3 days, 8 rooms, 6 tracks, 2 speakers a talk, random times) in a
separate SQLite database (``var/benchmark-grid.sqlite3``), then requests the page in-process
through Django's test client with the server-side cache off, so every request runs its
queries and renders its template. Settings are production's (``DJANGO_DEBUG=0``: no query
log, no template debug information; over HTTPS as behind the proxy) unless ``--debug``;
static files are served by name, without production's manifest, which only names them.
Then it times the parts: fetching the talks, building the first day's grid, rendering the
grid, and rendering the whole page (the grid, the list for narrow screens and the rest).
CPU time is the figure to compare: on a shared machine the wall time also counts waiting for
a core.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(label, action, repeat):
    """Runs ``action`` ``repeat`` times; prints and returns its CPU and wall times in ms."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{label:44} CPU {min(cpu):7.1f} ms fastest, {statistics.median(cpu):7.1f} median; "
        f"wall {min(wall):7.1f} fastest, {statistics.median(wall):7.1f} median"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--talks", type=int, default=900)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument(
        "--catalog", type=int, metavar="TALKS", help="a generate_catalog conference instead"
    )
    parser.add_argument("--repeat", type=int, default=20, help="runs of each measurement")
    parser.add_argument("--debug", action="store_true", help="development settings (DEBUG on)")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'benchmark-grid.sqlite3'}")
    os.environ["DJANGO_DEBUG"] = "1" if args.debug else "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"  # static files without a manifest
    import django

    # Production settings expect collected static files; the page does not read them.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talks.models import Conference, Talk
    from talks.schedule import (
        group_by_day_and_track,
        listed_days,
        requested_day,
        schedule_grid,
    )
    from talks.synthetic import SLUG_PREFIX, Scale, generate_catalog, generate_room_grid
    from talks.views.export_links import export_counts, export_links

    settings.CATALOG_SERVER_CACHE = False  # uncached: every request queries and renders
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    if args.catalog:
        generate_catalog(Scale(talks_per_conference=args.catalog))
        conference = Conference.objects.get(slug=f"{SLUG_PREFIX}1")
    else:
        conference = generate_room_grid(rooms=args.rooms, talks=args.talks, days=args.days)
    url = f"/conferences/{conference.slug}/schedule/"
    client = Client()

    def request_page():
        return client.get(url, secure=True)  # production redirects plain HTTP

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = request_page()  # the first also fills Django's template cache
    assert response.status_code == 200, response.status_code
    print(
        f"{url}: {conference.rooms.count()} rooms, {conference.talks.count()} talks, "
        f"{conference.days.count()} day(s); {len(queries)} queries, "
        f"{len(response.content) / 1024:.0f} KiB; debug {'on' if settings.DEBUG else 'off'}; "
        f"load average {' '.join(f'{load:.1f}' for load in os.getloadavg())}"
    )
    measure("the page, uncached request", request_page, args.repeat)

    talks = Talk.objects.filter(conference=conference)
    rows = talks.in_schedule_order()
    measure("  fetching the talks (the page's queries)", rows.schedule_rows, args.repeat)
    days = group_by_day_and_track(rows.schedule_rows())
    day = requested_day(days, None)[0]
    measure(
        "  the grid: building it",
        lambda: schedule_grid(days, day, conference.tzinfo),
        args.repeat,
    )
    request = response.wsgi_request
    grid = schedule_grid(days, day, conference.tzinfo)
    context = {
        "conference": conference,
        "schedule": listed_days(days, grid),
        "grid": grid,
        "exports": export_links(request, conference),
        "export_counts": export_counts(talks),
    }
    measure(
        "  the grid: rendering it",
        lambda: render_to_string("talks/_schedule_grid.html", context, request),
        args.repeat,
    )
    measure(
        "  the page: rendering it (grid, list and the rest)",
        lambda: render_to_string("talks/schedule.html", context, request),
        args.repeat,
    )


if __name__ == "__main__":
    main()
