"""Time ``fetch_thumbnails`` against a local HTTP server serving generated stills.

    .venv/bin/python benchmarks/thumbnails.py                    # 500 talks, 4 at a time
    .venv/bin/python benchmarks/thumbnails.py --talks 2000 --concurrency 8

It makes ``--talks`` talks in a fresh SQLite database (``var/benchmark-thumbnails.sqlite3``),
each naming a still on a server of its own on 127.0.0.1 (hence CATALOG_ALLOW_PRIVATE_SOURCES),
which serves 20 different 1280x720 JPEGs of noise and gradients (about the size of a video
host's "maxresdefault" still); copies go to a temporary media folder. It prints the wall
time, the CPU time of this process and the stills per second, then runs the command again to
show that a second run fetches nothing.
"""

import argparse
import io
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DISTINCT_STILLS = 20


def stills(count, seed=2026):
    """``count`` JPEGs of 1280x720: a gradient with noise, as a video still compresses."""
    from PIL import Image

    rng = random.Random(seed)
    made = []
    for _ in range(count):
        noise = Image.effect_noise((1280, 720), rng.randint(20, 60)).convert("RGB")
        gradient = Image.linear_gradient("L").resize((1280, 720)).convert("RGB")
        out = io.BytesIO()
        Image.blend(noise, gradient, 0.5).save(out, "JPEG", quality=85)
        made.append(out.getvalue())
    return made


def serve(bodies):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            number = int(self.path.strip("/").split(".")[0])
            body = bodies[number % len(bodies)]
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    database = ROOT / "var" / "benchmark-thumbnails.sqlite3"
    database.parent.mkdir(exist_ok=True)
    database.unlink(missing_ok=True)
    media = tempfile.TemporaryDirectory()
    os.environ.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        CATALOG_ALLOW_PRIVATE_SOURCES="1",
        CATALOG_MEDIA_ROOT=media.name,
        DJANGO_SETTINGS_MODULE="conference.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from talks.models import Talk

    call_command("migrate", verbosity=0)
    bodies = stills(DISTINCT_STILLS)
    server = serve(bodies)
    call_command("generate_catalog", "--talks", str(args.talks), verbosity=0)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    Talk.everything.update(
        thumbnail_url=Concat(Value(base), Cast("pk", CharField()), Value(".jpg"))
    )
    runs = []
    for _ in range(2):
        started, cpu = time.perf_counter(), time.process_time()
        call_command("fetch_thumbnails", concurrency=args.concurrency, verbosity=0)
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
    size = sum(len(body) for body in bodies) // len(bodies)
    print(f"\n{args.talks} stills of about {size // 1024} KB, {args.concurrency} at a time:")
    (wall, cpu), (again, _) = runs
    print(f"  first run  {wall:6.1f} s wall  {cpu:6.1f} s CPU  {args.talks / wall:6.1f} stills/s")
    print(f"  second run {again:6.1f} s wall (nothing left to copy)")
    server.shutdown()
    media.cleanup()


if __name__ == "__main__":
    main()
