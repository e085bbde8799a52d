"""Load-test the catalog as it is used: while editors edit and imports re-run.

    make loadtest-live                                  # 20 conferences x 100 talks, SQLite
    DATABASE_URL=postgres://... make loadtest-live      # the synthetic data there is replaced

gunicorn with production settings and a Redis of its own, driven by wrk picking at random
among ``--urls`` URLs spread over the whole catalog (most of them talk and speaker pages, as
real traffic is; pages as HTML, API reads as JSON), each stored once first. Runs of
``--duration`` seconds (30, one import interval):

- **quiet**: nothing changes;
- **live**: an editor saves a talk of one conference through the API every ``--edit-every``
  seconds, and ``import_schedule`` re-imports another conference (one title changed each
  time) five seconds into the run and every ``--import-every`` seconds after, in a process
  of its own;
- **Redis hung**: the Redis process frozen (SIGSTOP: its socket accepts, it answers nothing).

Quiet and live runs alternate ``--rounds`` times, so that each live run is compared with the
quiet run just before it: other jobs on a shared machine move requests/s by a third between
minutes, much less between neighbours. Each run reports requests/s, p50 and p99, the workers'
CPU time per request, and how the store answered (the ``X-Catalog-Store`` header: hit,
stale, waited, miss). The goal: the live runs keep at least 80% of the quiet runs'
requests/s (the median of the rounds' ratios) with p99 under 100 ms. The report is printed and
saved as JSON in ``var/live-<engine>-<time>.json``.
"""

import argparse
import datetime
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loadtest import (  # noqa: E402 (the path above first)
    HOST,
    PROXY_HEADERS,
    cpu_seconds,
    database_url,
    free_port,
    get,
    production_environment,
    require,
    settle,
    start_redis,
    stop,
    wait_until_ready,
    worker_pids,
)

WRK_SCRIPT = Path(__file__).with_name("wrk_live.lua")
IMPORTED = "live-import"
LIVE_SHARE_GOAL = 0.8
LIVE_P99_GOAL_MS = 100

# What real traffic asks for, by share of the URLs: mostly single talks and speakers.
MIX = {
    "talk page": 0.45,
    "speaker page": 0.25,
    "API talk": 0.08,
    "conference page, talk list, schedule, API list": 0.12,
    "export or feed": 0.05,
    "catalog-wide": 0.05,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conferences", type=int, default=20)
    parser.add_argument("--talks", type=int, default=100, help="talks per conference")
    parser.add_argument("--urls", type=int, default=600, help="distinct URLs requested")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    # As long as the imports' interval: each live run holds one import, as the issue sets it.
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="quiet and live runs, alternated")
    parser.add_argument("--edit-every", type=float, default=1.0, help="seconds between edits")
    parser.add_argument("--import-every", type=float, default=30.0, help="seconds between imports")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--output", help="JSON file (default var/live-<engine>-<time>.json)")
    return parser.parse_args()


def build_catalog(args, schedule_file):
    """The synthetic catalog, plus one conference imported from a schedule file (the one the
    live run imports again); returns the conferences edited and imported."""
    from django.core.management import call_command

    from talks.exports import frab
    from talks.models import Conference, Talk
    from talks.synthetic import SLUG_PREFIX, Scale, generate_catalog

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    print(f"Generating {args.conferences} conferences x {args.talks} talks ...", flush=True)
    generate_catalog(Scale(conferences=args.conferences, talks_per_conference=args.talks))
    Conference.objects.filter(slug=IMPORTED).delete()
    source = Conference.objects.get(slug=f"{SLUG_PREFIX}2")
    schedule = json.loads(
        frab.schedule_json(source, Talk.objects.for_export().filter(conference=source), "")
    )
    schedule["schedule"]["conference"]["acronym"] = IMPORTED
    schedule_file.write_text(json.dumps(schedule))
    call_command("import_schedule", str(schedule_file), verbosity=0)
    return {"edited": f"{SLUG_PREFIX}1", "imported": IMPORTED}


def sample_urls(args, rng):
    """``--urls`` URLs in the proportions of ``MIX``, from every conference of the catalog."""
    from talks.models import Conference, Speaker, Talk

    conferences = list(Conference.objects.values_list("slug", flat=True))
    talks = list(Talk.objects.values_list("pk", "conference__slug", "slug"))
    speakers = list(Speaker.objects.values_list("slug", flat=True))
    kinds = {
        "talk page": lambda: "/conferences/{1}/talks/{2}/".format(*rng.choice(talks)),
        "speaker page": lambda: f"/speakers/{rng.choice(speakers)}/",
        "API talk": lambda: f"/api/v1/talks/{rng.choice(talks)[0]}/",
        "conference page, talk list, schedule, API list": lambda: rng.choice(
            [
                "/conferences/{}/",
                "/conferences/{}/talks/",
                "/conferences/{}/schedule/",
                "/api/v1/talks/?conference={}&page_size=50",
            ]
        ).format(rng.choice(conferences)),
        "export or feed": lambda: rng.choice(
            [
                "/conferences/{}/schedule.ics",
                "/conferences/{}/schedule.xml",
                "/conferences/{}/schedule.json",
                "/conferences/{}/talks/feed/",
            ]
        ).format(rng.choice(conferences)),
        "catalog-wide": lambda: rng.choice(
            [
                "/",
                "/speakers/",
                "/search/?q=containers",
                "/api/v1/talks/?page_size=50",
                "/api/v1/speakers/",
                "/sitemap.xml",
            ]
        ),
    }
    urls = set()
    for kind, share in MIX.items():
        wanted = len(urls) + round(args.urls * share)
        for _ in range(args.urls * 20):
            if len(urls) >= wanted:
                break
            urls.add(kinds[kind]())
    return sorted(urls)


def editor_token():
    from django.contrib.auth.models import Permission, User

    from access.models import ApiToken, TokenScope

    user, _ = User.objects.get_or_create(username="live-editor")
    user.user_permissions.set(Permission.objects.filter(codename="change_talk"))
    _, key = ApiToken.objects.issue(user, scope=TokenScope.WRITE)
    return key


class Editor(threading.Thread):
    """Saves a talk of one conference through the API every ``every`` seconds."""

    def __init__(self, port, token, talk_ids, every):
        super().__init__(daemon=True)
        self.port, self.token, self.talk_ids, self.every = port, token, talk_ids, every
        self.stopping = threading.Event()
        self.seconds, self.failures = [], []

    def run(self):
        number = 0
        while not self.stopping.wait(self.every):
            number += 1
            talk_id = self.talk_ids[number % len(self.talk_ids)]
            body = json.dumps({"title": f"Edited live, edit {number}"}).encode()
            request = urllib.request.Request(
                f"http://{HOST}:{self.port}/api/v1/talks/{talk_id}/",
                data=body,
                method="PATCH",
                headers={
                    **PROXY_HEADERS,
                    "Authorization": f"Token {self.token}",
                    "Content-Type": "application/json",
                },
            )
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                self.seconds.append(time.monotonic() - started)
            except OSError as error:
                self.failures.append(repr(error))


class Importer(threading.Thread):
    """Re-imports the schedule file, one title changed, every ``every`` seconds (the first
    after five), with ``manage.py import_schedule`` in a process of its own."""

    def __init__(self, schedule_file, environment, every):
        super().__init__(daemon=True)
        self.file, self.environment, self.every = schedule_file, environment, every
        self.stopping = threading.Event()
        self.seconds, self.failures = [], []

    def run(self):
        wait, number = 5.0, 0
        while not self.stopping.wait(wait):
            wait, number = self.every, number + 1
            schedule = json.loads(self.file.read_text())
            day = schedule["schedule"]["conference"]["days"][0]
            event = next(event for room in day["rooms"].values() for event in room)
            event["title"] = f"Imported live, import {number}"
            self.file.write_text(json.dumps(schedule))
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "manage.py", "import_schedule", str(self.file)],
                cwd=ROOT,
                env=self.environment,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                self.failures.append(result.stderr[-500:])
            else:
                self.seconds.append(time.monotonic() - started)


def drive(args, port, paths_file, workers):
    """wrk's figures for one run, with the workers' CPU time per request."""
    settle(workers)
    before = cpu_seconds(workers)
    result = wrk(args, port, paths_file)
    spent = cpu_seconds(workers) - before
    result["cpu_ms_per_request"] = round(spent * 1000 / max(1, result["requests"]), 2)
    return result


def live_run(args, port, paths_file, workers, editor, importer):
    editor.start()
    importer.start()
    try:
        result = drive(args, port, paths_file, workers)
    finally:
        editor.stopping.set()
        importer.stopping.set()
        editor.join()
        importer.join()
    result["edits"] = {**summary(editor.seconds), "failures": editor.failures}
    result["imports"] = {**summary(importer.seconds), "failures": importer.failures}
    return result


def wrk(args, port, paths_file):
    headers = [
        option for name, value in PROXY_HEADERS.items() for option in ("-H", f"{name}: {value}")
    ]
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(WRK_SCRIPT),
        *headers,
        f"http://{HOST}:{port}/",
        "--",
        str(paths_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("LIVELOAD "))
    raw = json.loads(line.removeprefix("LIVELOAD "))
    answered = {name: raw[name] for name in ("hit", "stale", "waited", "miss", "unstored")}
    return {
        "requests_per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "requests": raw["requests"],
        "non_2xx_3xx": raw["non_2xx_3xx"],
        "socket_errors": raw["socket_errors"],
        "answered": answered,
        "from_the_store": round(
            (answered["hit"] + answered["stale"] + answered["waited"])
            / max(1, sum(answered.values())),
            3,
        ),
        "load_average": round(os.getloadavg()[0], 2),
    }


def summary(mean_of):
    return {
        "count": len(mean_of),
        "mean_ms": round(1000 * sum(mean_of) / len(mean_of), 1) if mean_of else None,
        "max_ms": round(1000 * max(mean_of), 1) if mean_of else None,
    }


def print_run(name, run):
    answered = ", ".join(f"{count} {how}" for how, count in run["answered"].items() if count)
    print(
        f"  {name:12} {run['requests_per_second']:7.1f} req/s  p50 {run['p50_ms']:5.1f} ms  "
        f"p99 {run['p99_ms']:6.1f} ms  CPU {run['cpu_ms_per_request']:5.2f} ms  "
        f"from the store {run['from_the_store']:.1%} ({answered})  "
        f"non-2xx {run['non_2xx_3xx']}, errors {run['socket_errors']}",
        flush=True,
    )
    for what in ("edits", "imports"):
        if what in run:
            done = run[what]
            print(
                f"{'':16}{done['count']} {what}, mean {done['mean_ms']} ms, "
                f"failures {len(done['failures'])}",
                flush=True,
            )


def main():
    args = parse_args()
    require("wrk", "wrk")
    require("redis-server", "redis-server")
    started_at = datetime.datetime.now(datetime.UTC)
    environment = production_environment(database_url("loadtest-live.sqlite3"))
    os.environ.update(environment)
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"stopped by signal {number}"))
    import django

    django.setup()
    from django.db import connection

    from talks.models import Talk

    schedule_file = ROOT / "var" / "live-import.json"
    conferences = build_catalog(args, schedule_file)
    rng = random.Random(args.seed)
    urls = sample_urls(args, rng)
    paths_file = ROOT / "var" / "live-urls.txt"
    paths_file.write_text("\n".join(urls) + "\n")
    token = editor_token()
    edited = list(
        Talk.objects.filter(conference__slug=conferences["edited"]).values_list("pk", flat=True)
    )
    connection.close()

    redis_server, redis_url = start_redis()
    server_environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "REDIS_URL": redis_url,
    }
    server_environment.pop("DJANGO_SERVER_CACHE")  # on by default with Redis
    log = ROOT / "var" / "live-gunicorn.log"
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "conference.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(args.workers), "--worker-class", "sync"]
    rounds, runs = [], {}
    with open(log, "a") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=server_environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_ready(server, port, log)
        print(f"Storing {len(urls)} URLs ...", flush=True)
        statuses = {}
        for url in urls:
            status = get(port, url)
            statuses[status] = statuses.get(status, 0) + 1
        print(f"  statuses: {statuses}", flush=True)
        workers = worker_pids(server)
        print(f"Runs of {args.duration} s, {args.connections} connections:", flush=True)
        for number in range(1, args.rounds + 1):
            quiet = drive(args, port, paths_file, workers)
            print_run(f"quiet {number}", quiet)
            editor = Editor(port, token, edited, args.edit_every)
            importer = Importer(schedule_file, server_environment, args.import_every)
            live = live_run(args, port, paths_file, workers, editor, importer)
            print_run(f"live {number}", live)
            rounds.append({"quiet": quiet, "live": live})

        redis_server.send_signal(signal.SIGSTOP)
        try:
            runs["redis hung"] = drive(args, port, paths_file, workers)
            print_run("redis hung", runs["redis hung"])
            health = urllib.request.Request(f"http://{HOST}:{port}/healthz")
            with urllib.request.urlopen(health, timeout=5) as response:
                runs["redis hung"]["healthz"] = json.loads(response.read())
        finally:
            redis_server.send_signal(signal.SIGCONT)
    finally:
        stop(server)
        stop(redis_server)

    shares = [r["live"]["requests_per_second"] / r["quiet"]["requests_per_second"] for r in rounds]
    share = statistics.median(shares)
    p99 = max(r["live"]["p99_ms"] for r in rounds)
    goal = {
        "live share of quiet requests/s, per round": [round(s, 3) for s in shares],
        "median share": round(share, 3),
        "highest live p99 ms": p99,
        "met": share >= LIVE_SHARE_GOAL and p99 < LIVE_P99_GOAL_MS,
    }
    print(
        f"\nGoal (live >= {LIVE_SHARE_GOAL:.0%} of quiet, p99 < {LIVE_P99_GOAL_MS} ms): "
        f"rounds {', '.join(f'{s:.0%}' for s in shares)}, median {share:.0%}; highest live "
        f"p99 {p99:.1f} ms: {'met' if goal['met'] else 'missed'}"
    )
    report = {
        "date": started_at.isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "scale": {"conferences": args.conferences, "talks_per_conference": args.talks},
        "urls": len(urls),
        "mix": MIX,
        "server": {"workers": args.workers, "worker_class": "sync"},
        "wrk": {"threads": args.threads, "connections": args.connections, "seconds": args.duration},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "rounds": rounds,
        "runs": runs,
        "goal": goal,
    }
    stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
    path = Path(args.output or ROOT / "var" / f"live-{connection.vendor}-{stamp}.json")
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
