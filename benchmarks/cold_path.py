"""What an uncached request costs, against the framework's own floor.

    .venv/bin/python benchmarks/cold_path.py                      # 20 conferences x 100 talks
    .venv/bin/python benchmarks/cold_path.py --conferences 100 --talks 200 --repeat 50
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/cold_path.py

In-process, production settings (debug off, Django's own 404 handling and logging), no
server-side store: every request runs its view. Each URL is requested in turn with the site's
own 404 page, interleaved ``--repeat`` times, and the report gives the CPU time of the fastest
and the median request and the ratio of the fastest to the 404 page's fastest in the same run:
the figure that stays comparable when other jobs share the machine. Three passes: with the
fragments of ``talks.fragments`` kept (as a worker has them once it has rendered a record);
with one talk of the measured conference saved before every request (what an editor's save
costs the next request of each URL: its conference's lists are rendered again, from the rows
kept); and with the fragments cleared before every request (a record no worker has rendered
yet). The catalog is
built with ``generate_catalog`` in ``var/cold-path.sqlite3`` unless DATABASE_URL is set; JSON
in ``var/cold-path-<engine>-<time>.json``.
"""

import argparse
import datetime
import json
import logging
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loadtest import database_url  # noqa: E402 (the path above first)

NOT_FOUND = ("404 page", "/no-such-page/")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conferences", type=int, default=20)
    parser.add_argument("--talks", type=int, default=100, help="talks per conference")
    parser.add_argument("--repeat", type=int, default=40, help="requests per URL and pass")
    parser.add_argument("--output", help="JSON file (default var/cold-path-<engine>-<time>.json)")
    return parser.parse_args()


def endpoints():
    from django.db.models import Count

    from talks.models import Speaker, Talk
    from talks.synthetic import SLUG_PREFIX

    conference = f"{SLUG_PREFIX}1"
    talk = Talk.objects.filter(conference__slug=conference).order_by("pk")[50]
    typical = (
        Speaker.objects.annotate(given=Count("talk_roles"))
        .filter(given__lte=2)
        .order_by("-given", "slug")
        .first()
    )
    base = f"/conferences/{conference}"
    return [
        NOT_FOUND,
        ("talk page", f"{base}/talks/{talk.slug}/"),
        ("speaker page", f"/speakers/{typical.slug}/"),
        ("talk list", f"{base}/talks/"),
        ("API talks (50)", "/api/v1/talks/?page_size=50"),
        ("API talk", f"/api/v1/talks/{talk.pk}/"),
        ("schedule page", f"{base}/schedule/"),
        ("conference page", f"{base}/"),
        ("speaker list", "/speakers/"),
        ("home", "/"),
        ("iCalendar export", f"{base}/schedule.ics"),
        ("frab XML export", f"{base}/schedule.xml"),
    ]


def measure(client, urls, repeat, before_each=None):
    """Each URL ``repeat`` times, interleaved, after ``before_each()`` (not timed) if given."""
    times = {label: [] for label, _ in urls}
    for _label, url in urls:  # templates loaded, fragments made
        client.get(url)
    for _ in range(repeat):
        for label, url in urls:
            if before_each is not None:
                before_each()
            started = time.process_time()
            response = client.get(url)
            times[label].append(time.process_time() - started)
            assert response.status_code in (200, 404), (url, response.status_code)
    floor = min(times[NOT_FOUND[0]])
    return {
        label: {
            "url": url,
            "fastest_ms": round(min(times[label]) * 1000, 2),
            "median_ms": round(statistics.median(times[label]) * 1000, 2),
            "times_404": round(min(times[label]) / floor, 1),
        }
        for label, url in urls
    }


def edit_a_talk():
    """Saves, in turn, one of the talks of the measured conference that the measured talk page
    does not show: what an editor's save retires for the next request of each URL."""
    from itertools import cycle

    from talks.models import Talk
    from talks.synthetic import SLUG_PREFIX

    edited = cycle(Talk.objects.filter(conference__slug=f"{SLUG_PREFIX}1").order_by("pk")[:50])
    return lambda: next(edited).save()


def main():
    args = parse_args()
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url("cold-path.sqlite3"),
        DJANGO_SERVER_CACHE="0",
        DJANGO_THROTTLE_ANON="off",
        DJANGO_THROTTLE_USER="off",
        DJANGO_SETTINGS_MODULE="conference.settings",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from talks.fragments import fragments
    from talks.synthetic import Scale, generate_catalog

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    generate_catalog(Scale(conferences=args.conferences, talks_per_conference=args.talks))
    # The 404 page logs a warning, as in production; to a sink, not this terminal.
    logging.getLogger("django.request").handlers = [logging.NullHandler()]
    logging.getLogger("django.request").propagate = False
    client = Client(headers={"X-Forwarded-Proto": "https"})
    urls = endpoints()
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "scale": {"conferences": args.conferences, "talks_per_conference": args.talks},
        "repeat": args.repeat,
        "passes": {
            "fragments kept": measure(client, urls, args.repeat),
            "an edit before each": measure(client, urls, args.repeat, edit_a_talk()),
            "fragments cleared": measure(client, urls, args.repeat, fragments.clear),
        },
    }
    print(f"{'':20}" + "".join(f"| {name:^32} " for name in report["passes"]))
    print(f"{'URL':20}" + "| fastest ms  median ms  x 404 " * len(report["passes"]))
    for label, _ in urls:
        line = f"{label:20}"
        for figures in report["passes"].values():
            row = figures[label]
            line += f"| {row['fastest_ms']:10.2f} {row['median_ms']:10.2f} {row['times_404']:6.1f} "
        print(line)
    stamp = report["date"].replace(":", "").replace("-", "").removesuffix("+0000")
    path = Path(args.output or ROOT / "var" / f"cold-path-{connection.vendor}-{stamp}.json")
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {path}")


if __name__ == "__main__":
    main()
