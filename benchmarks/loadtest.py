"""Load-test the site as deployed: gunicorn with production settings, driven by wrk.

    make loadtest                                   # 100 conferences x 200 talks, SQLite
    make loadtest CONFERENCES=10 TALKS=200 DURATION=3
    DATABASE_URL=postgres://... make loadtest       # the synthetic data there is replaced

It builds the catalog with ``generate_catalog`` (a fresh ``var/loadtest.sqlite3`` unless
DATABASE_URL is set), counts each URL's SQL queries once in-process, then starts gunicorn
(sync workers) on a free loopback port twice: *cold*, with no server-side cache (every request
queries and renders), and *warm*, with the server-side cache on a Redis server of its own that
every worker shares. In each run wrk drives ``/healthz`` and then every URL for DURATION
seconds, and reports requests per second, the median and 99th percentile latency and, per URL,
its ratio to ``/healthz``'s requests per second in the same run: the figure that stays
comparable when other jobs share the machine. Worker memory (RSS) is read after each run.
The table is printed and saved as JSON in ``var/loadtest-<engine>-<time>.json``, with the
issue's targets marked met or missed.

Requests carry ``X-Forwarded-Proto: https``, as from the TLS-terminating proxy of a real
deployment, so production settings run unchanged, HTTPS redirect included. The one change is
that API throttling is off: it limits clients, and here one client is the whole load.
"""

import argparse
import datetime
import json
import logging
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

# (label, URL) with {conf}, {talk_slug}, {talk_id}, {busiest} and {typical} from the catalog.
ENDPOINTS = [
    ("home", "/"),
    ("conference page", "/conferences/{conf}/"),
    ("talk list", "/conferences/{conf}/talks/"),
    ("talk list, day and track", "/conferences/{conf}/talks/?day=2&track=track-1"),
    ("talk page", "/conferences/{conf}/talks/{talk_slug}/"),
    ("speaker list", "/speakers/"),
    ("speaker page, typical", "/speakers/{typical}/"),
    ("speaker page, busiest", "/speakers/{busiest}/"),
    ("schedule page", "/conferences/{conf}/schedule/"),
    ("API talks (50)", "/api/v1/talks/?page_size=50"),
    (
        "API talks, day and track",
        "/api/v1/talks/?conference={conf}&day=2&track=track-1&page_size=50",
    ),
    ("API talk detail", "/api/v1/talks/{talk_id}/"),
    ("API search", "/api/v1/search/?q=containers"),
    ("iCalendar export", "/conferences/{conf}/schedule.ics"),
    ("frab XML export", "/conferences/{conf}/schedule.xml"),
    ("frab JSON export", "/conferences/{conf}/schedule.json"),
    ("talks feed", "/conferences/{conf}/talks/feed/"),
]
# Endpoints that may not exist yet: skipped, with a note, while they answer 404.
OPTIONAL = {"API search"}

# Issue 11's targets, set for 100 conferences of 200 talks: uncached requests per second ...
COLD_TARGETS = {
    "API talks (50)": 460,
    "talk page": 700,
    "speaker page, typical": 700,
    "speaker page, busiest": 700,
    "talk list": 400,
    "schedule page": 120,
    "frab XML export": 54,
    "iCalendar export": 54,
    "speaker list": 140,
}
WARM_SHARE_OF_HEALTHZ = 0.5  # ... every cached GET at least half of /healthz's rate ...
P99_TARGET = ("API talks, day and track", 50)  # ... this one's uncached p99 under 50 ms ...
WORKER_RSS_LIMIT_MB = 150  # ... and every worker's memory after the run.


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conferences", type=int, default=100)
    parser.add_argument("--talks", type=int, default=200, help="talks per conference")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--duration", type=int, default=5, help="seconds per URL")
    parser.add_argument("--output", help="JSON file (default var/loadtest-<engine>-<time>.json)")
    return parser.parse_args()


def require(program, package):
    if shutil.which(program) is None:
        sys.exit(f"{program} is missing; install it with: sudo apt-get install {package}")


def database_url(scratch_name):
    """DATABASE_URL, or a new SQLite file ``var/<scratch_name>`` (an earlier one removed)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    database = ROOT / "var" / scratch_name
    database.parent.mkdir(exist_ok=True)
    database.unlink(missing_ok=True)
    return f"sqlite:///{database}"


def production_environment(database):
    """The settings a deployment runs with (README, "Production"), throttling off."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database,
        "DJANGO_THROTTLE_ANON": "off",
        "DJANGO_THROTTLE_USER": "off",
        "DJANGO_SERVER_CACHE": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def build_catalog(args):
    """Migrate, fill the catalog, and return what the URLs need."""
    from django.core.management import call_command
    from django.db.models import Count

    from talks.models import Speaker, Talk
    from talks.synthetic import SLUG_PREFIX, Scale, generate_catalog

    call_command("migrate", verbosity=0)
    # Production settings serve hashed static file names, which need the manifest.
    call_command("collectstatic", "--no-input", verbosity=0)
    total = args.conferences * args.talks
    print(f"Generating {args.conferences} conferences x {args.talks} talks ...", flush=True)
    started = time.perf_counter()
    generate_catalog(Scale(conferences=args.conferences, talks_per_conference=args.talks))
    print(f"  {total} talks in {time.perf_counter() - started:.0f} s", flush=True)

    speakers = Speaker.objects.filter(slug__startswith=SLUG_PREFIX).annotate(
        given=Count("talk_roles")
    )
    busiest = speakers.order_by("-given", "slug").first()
    typical = speakers.filter(given__lte=2).order_by("-given", "slug").first() or busiest
    conference = f"{SLUG_PREFIX}1"
    talk_slug = f"talk-{min(100, args.talks)}"  # a session: the first talks are keynotes
    return {
        "conf": conference,
        "talk_slug": talk_slug,
        "talk_id": Talk.objects.get(conference__slug=conference, slug=talk_slug).pk,
        "busiest": busiest.slug,
        "typical": typical.slug,
        "speakers": speakers.count(),
        "busiest_talks": busiest.given,
        "typical_talks": typical.given,
    }


def count_queries(urls):
    """Each URL's status, SQL queries and body size, asked once in-process (no server cache)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, headers=PROXY_HEADERS)
    rows = {}
    for label, url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        rows[label] = {
            "url": url,
            "status": response.status_code,
            "queries": len(queries),
            "bytes": len(response.content),
        }
    connection.close()  # the server's workers open their own
    return rows


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port, path):
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=PROXY_HEADERS)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_ready(process, port, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start-up; see {log}")
        try:
            if get(port, "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer /healthz within a minute; see {log}")


def start_redis():
    """A private, memory-only Redis on a free port, or None when redis-server is missing."""
    program = shutil.which("redis-server")
    if program is None:
        return None, None
    port = free_port()
    process = subprocess.Popen(
        [program, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host=HOST, port=port)
    for _ in range(100):
        try:
            client.ping()
            return process, f"redis://{HOST}:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.1)
    process.terminate()
    sys.exit("redis-server did not start")


def stop(process):
    if process is None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wrk(args, port, path):
    headers = [
        option for name, value in PROXY_HEADERS.items() for option in ("-H", f"{name}: {value}")
    ]
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        # wrk's default of 2 s drops slower requests from the latencies, hiding the tail.
        "--timeout",
        "30s",
        "-s",
        str(WRK_SCRIPT),
        *headers,
        f"http://{HOST}:{port}{path}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("LOADTEST "))
    raw = json.loads(line.removeprefix("LOADTEST "))
    return {
        "requests_per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "requests": raw["requests"],
        "non_2xx_3xx": raw["non_2xx_3xx"],
        "socket_errors": raw["socket_errors"],
        "load_average": round(os.getloadavg()[0], 2),
    }


def worker_pids(master):
    output = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in output.split()]


def cpu_seconds(pids):
    """CPU time (user and system) the processes have used so far."""
    total = 0
    for pid in pids:
        # Fields 14 and 15 of /proc/PID/stat, counted after the command name in parentheses.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    return round(int(kib) / 1024, 1)


def settle(workers, quiet_for=0.3, longest=60):
    """Wait until the workers are idle: when wrk stops, requests it sent are still queued,
    and their work must not count for the next URL."""
    deadline = time.monotonic() + longest
    before = cpu_seconds(workers)
    while time.monotonic() < deadline:
        time.sleep(quiet_for)
        now = cpu_seconds(workers)
        if now - before < 0.02:
            return
        before = now


def drive(args, port, path, workers):
    """wrk's figures for ``path``, with the CPU time the workers spent per request."""
    settle(workers)
    before = cpu_seconds(workers)
    result = wrk(args, port, path)
    spent = cpu_seconds(workers) - before
    result["cpu_ms_per_request"] = round(spent * 1000 / max(1, result["requests"]), 2)
    return result


def run_phase(args, environment, urls, log):
    """Start gunicorn, drive /healthz and every URL, stop it; returns the measurements."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "conference.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(args.workers), "--worker-class", "sync"]
    with open(log, "a") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_ready(server, port, log)
        workers = worker_pids(server)
        measured = {"load_average_start": round(os.getloadavg()[0], 2), "urls": {}}
        healthz = [drive(args, port, "/healthz", workers)]
        for label, url in urls:
            get(port, url)  # fills the server cache when it is on; loads templates otherwise
            measured["urls"][label] = result = drive(args, port, url, workers)
            print(
                f"  {label:28} {result['requests_per_second']:8.1f} req/s  "
                f"p99 {result['p99_ms']:7.1f} ms  CPU {result['cpu_ms_per_request']:6.2f} ms  "
                f"load {result['load_average']}",
                flush=True,
            )
        healthz.append(drive(args, port, "/healthz", workers))
        measured["workers_rss_mb"] = [rss_mb(pid) for pid in workers]
        measured["load_average_end"] = round(os.getloadavg()[0], 2)
    finally:
        stop(server)
    # /healthz before and after the URLs: their mean is the run's reference.
    reference = sum(run["requests_per_second"] for run in healthz) / len(healthz)
    reference_cpu = sum(run["cpu_ms_per_request"] for run in healthz) / len(healthz)
    measured["healthz"] = {
        "runs": healthz,
        "requests_per_second": round(reference, 1),
        "cpu_ms_per_request": round(reference_cpu, 2),
    }
    # What the workers would serve with a core each and nothing else running: the figure to
    # set against the targets when other jobs take the cores (wrk's own share left out).
    cores = min(args.workers, os.cpu_count())
    for result in [*measured["urls"].values(), measured["healthz"]]:
        cpu = max(result["cpu_ms_per_request"], 0.01)
        result["cpu_bound_requests_per_second"] = round(cores * 1000 / cpu, 1)
    for result in measured["urls"].values():
        result["share_of_healthz"] = round(result["requests_per_second"] / reference, 3)
        cpu = max(result["cpu_ms_per_request"], 0.01)
        result["share_of_healthz_cpu"] = round(reference_cpu / cpu, 3)
    return measured


def verdict(measured, on_cpu):
    """Met as measured; met only by the CPU-time figure (the machine was busy); or missed."""
    return "met" if measured else "met on CPU time" if on_cpu else "missed"


def check_targets(phases):
    """One entry per target of the issue that this run measured."""
    checks = []
    cold, warm = phases.get("cold"), phases.get("warm")
    for label, minimum in COLD_TARGETS.items() if cold else ():
        if result := cold["urls"].get(label):
            rate, on_cpu = result["requests_per_second"], result["cpu_bound_requests_per_second"]
            checks.append(
                {
                    "target": f"{label}, uncached >= {minimum} req/s",
                    "measured": f"{rate:.0f} req/s (CPU time: {on_cpu:.0f})",
                    "verdict": verdict(rate >= minimum, on_cpu >= minimum),
                }
            )
    label, limit = P99_TARGET
    if cold and (result := cold["urls"].get(label)):
        p99 = result["p99_ms"]
        checks.append(
            {
                "target": f"{label}, uncached p99 < {limit} ms",
                "measured": f"{p99:.1f} ms",
                "verdict": verdict(p99 < limit, False),
            }
        )
    for label, result in warm["urls"].items() if warm else ():
        share, on_cpu = result["share_of_healthz"], result["share_of_healthz_cpu"]
        checks.append(
            {
                "target": f"{label}, cached >= {WARM_SHARE_OF_HEALTHZ:.0%} of /healthz",
                "measured": f"{share:.0%} (CPU time: {on_cpu:.0%})",
                "verdict": verdict(share >= WARM_SHARE_OF_HEALTHZ, on_cpu >= WARM_SHARE_OF_HEALTHZ),
            }
        )
    for name, phase in phases.items():
        largest = max(phase["workers_rss_mb"], default=0)
        checks.append(
            {
                "target": f"every worker < {WORKER_RSS_LIMIT_MB} MB RSS after the {name} run",
                "measured": f"{largest:.0f} MB",
                "verdict": verdict(largest < WORKER_RSS_LIMIT_MB, False),
            }
        )
    return checks


def print_report(report):
    phases = report["phases"]
    header = f"{'endpoint':28} {'status':>6} {'queries':>7} {'KiB':>7}"
    for name in phases:
        header += (
            f" | {name + ' req/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7} {'/healthz':>8}"
        )
    print("\n" + header + "\n" + "-" * len(header))
    healthz = f"{'/healthz':28} {'':>6} {'':>7} {'':>7}"
    for phase in phases.values():
        result = phase["healthz"]
        healthz += (
            f" | {result['requests_per_second']:10.1f} {'':>7} {'':>7} "
            f"{result['cpu_ms_per_request']:7.2f} {'100%':>8}"
        )
    print(healthz)
    for label, row in report["endpoints"].items():
        line = f"{label:28} {row['status']:>6} {row['queries']:>7} {row['bytes'] / 1024:7.1f}"
        for phase in phases.values():
            result = phase["urls"].get(label)
            if result is None:
                line += f" | {'skipped':>10} {'':>7} {'':>7} {'':>7} {'':>8}"
                continue
            line += (
                f" | {result['requests_per_second']:10.1f} {result['p50_ms']:7.1f} "
                f"{result['p99_ms']:7.1f} {result['cpu_ms_per_request']:7.2f} "
                f"{result['share_of_healthz']:8.0%}"
            )
        print(line)
    print(
        "\nCPU ms: the workers' CPU time per request, which other jobs on the machine do not "
        "change much;\n/healthz: the share of /healthz's requests per second in the same run."
    )
    for name, phase in phases.items():
        print(
            f"{name}: workers' RSS {phase['workers_rss_mb']} MB; load average "
            f"{phase['load_average_start']} at the start, {phase['load_average_end']} at the end"
        )
    for note in report["notes"]:
        print(f"Note: {note}")
    print("\nTargets (set for 100 conferences x 200 talks):")
    for check in report["targets"]:
        print(f"  {check['verdict']:15} {check['target']}: {check['measured']}")


def main():
    args = parse_args()
    require("wrk", "wrk")
    started = datetime.datetime.now(datetime.UTC)
    environment = production_environment(database_url("loadtest.sqlite3"))
    os.environ.update(environment)
    os.environ.pop("REDIS_URL", None)  # the queries are counted with no server cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

    # Stopped from outside, still stop the servers it started (the ``finally`` blocks).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"stopped by signal {number}"))
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 is in the report
    from django.db import connection

    catalog = build_catalog(args)
    notes = [
        f"{catalog['speakers']} speakers; the typical speaker page shows "
        f"{catalog['typical_talks']} talks, the busiest {catalog['busiest_talks']}."
    ]
    urls = [(label, url.format(**catalog)) for label, url in ENDPOINTS]
    endpoints = count_queries(urls)
    for label in OPTIONAL:
        if endpoints[label]["status"] == 404:
            notes.append(f"{label} skipped: {endpoints.pop(label)['url']} answers 404 here.")
    urls = [(label, url) for label, url in urls if label in endpoints]

    log = ROOT / "var" / "loadtest-gunicorn.log"
    server_environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "conference.settings"}
    phases = {}
    print(f"Cold: no server cache, {args.workers} workers", flush=True)
    phases["cold"] = run_phase(args, server_environment, urls, log)
    redis_server, redis_url = start_redis()
    if redis_server is None:
        notes.append(
            "warm run skipped: redis-server is missing (sudo apt-get install redis-server)"
        )
    else:
        try:
            print(f"Warm: server cache on a shared Redis, {args.workers} workers", flush=True)
            warm_environment = {**server_environment, "REDIS_URL": redis_url}
            warm_environment.pop("DJANGO_SERVER_CACHE")  # on by default with Redis
            phases["warm"] = run_phase(args, warm_environment, urls, log)
        finally:
            stop(redis_server)

    report = {
        "date": started.isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "scale": {"conferences": args.conferences, "talks_per_conference": args.talks},
        "server": {"workers": args.workers, "worker_class": "sync"},
        "wrk": {"threads": args.threads, "connections": args.connections, "seconds": args.duration},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "django": django.get_version(),
        "notes": notes,
        "endpoints": endpoints,
        "phases": phases,
    }
    report["targets"] = check_targets(phases)
    print_report(report)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    output = Path(args.output or ROOT / "var" / f"loadtest-{connection.vendor}-{stamp}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWrote {output}")


if __name__ == "__main__":
    main()
