"""Profile the API talk list in-process: where a response's time goes, function by function.

    DATABASE_URL=sqlite:///var/benchmark.sqlite3 .venv/bin/python benchmarks/profile_api.py

Runs against an existing database (fill one with ``manage.py generate_catalog``), with the
server-side cache off so every request is built, and prints the cProfile statistics of
``--requests`` requests of ``--url``, after the median time of as many unprofiled ones.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="/api/v1/talks/?page_size=50")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25, help="functions to print")
    return parser.parse_args()


def main():
    args = parse_args()
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ["DJANGO_SERVER_CACHE"] = "0"  # every request is built
    os.environ.setdefault("DJANGO_THROTTLE_ANON", "off")

    import django

    django.setup()

    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    client = Client()
    assert client.get(args.url).status_code == 200
    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        client.get(args.url)
        times.append((time.perf_counter() - started) * 1000)
    profile = cProfile.Profile()
    for _ in range(args.requests):
        profile.runcall(client.get, args.url)
    print(f"{args.url}: median {statistics.median(times):.1f} ms over {args.requests} requests")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
