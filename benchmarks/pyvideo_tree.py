"""Time ``import_pyvideo`` on a synthetic checkout of the pyvideo data set's shape and size.

    .venv/bin/python benchmarks/pyvideo_tree.py                      # 540 folders, 21,700 talks
    .venv/bin/python benchmarks/pyvideo_tree.py --folders 54 --talks 2170
    .venv/bin/python benchmarks/pyvideo_tree.py --keep var/pyvideo-tree   # keep the tree

It writes the tree to a temporary folder (``write_tree``), imports it into a fresh SQLite
database (``var/benchmark-pyvideo.sqlite3`` unless DATABASE_URL is set) with the command a user
runs, then imports it again (the idempotent re-run), printing the wall time of each run and
the CPU time the process spent (the wall time grows when other processes share the cores).

The tree has what the real one has: folders of very different sizes (a few large PyCons, many
small meetups, one in ten a series over a year), a ``schemas`` folder that is not an event, a
``NO_PUBLISH.json`` withholding two videos, tags spelt several ways, durations and stills, and
speakers whose talk counts follow a long tail (most give one or two talks, a few give dozens),
with names in several scripts.
The data is plainly fake and the same for a given seed, so runs are comparable.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from talks.long_tail import LongTail  # noqa: E402 (needs ROOT on the path)

FIRST_NAMES = [
    "Alice", "Bruno", "Chen", "Diogo", "Emma", "Farah", "Gustavo", "Hana", "Ivan", "Jana",
    "Kwame", "Léa", "Mateo", "Nadia", "Olumide", "Priya", "Quentin", "Rosa", "Samuel", "Tomás",
    "Ursula", "Valbjørn", "Wen", "Xavier", "Yuki", "Zofia", "Åsa", "Øystein", "Joël", "Małgorzata",
]  # fmt: skip
LAST_NAMES = [
    "Anders", "Baerisch", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Groß", "Haddad",
    "Ito", "Jensen", "Kowalski", "Lefèvre", "Mónica", "Nakamura", "Okafor", "Petrov", "Quinn",
    "Rossi", "Schäfer", "Tanaka", "Ueda", "Varga", "Wójcik", "Yilmaz", "Zhang", "Şahin",
]  # fmt: skip
# Names written in their own script, as some pyvideo records have them.
OTHER_SCRIPTS = ["山田 太郎", "やまだ はなこ", "Иван Петров", "Γιώργος Παπαδόπουλος", "김 민준"]
WORDS = [
    "python", "django", "asyncio", "typing", "packaging", "testing", "data", "science", "web",
    "security", "performance", "databases", "machine", "learning", "teaching", "community",
    "tooling", "profiling", "concurrency", "apis", "notebooks", "deployment", "containers",
]  # fmt: skip


def folder_sizes(rng, folders, talks):
    """``folders`` sizes adding up to ``talks``: many small events, a few large PyCons."""
    weights = [rng.lognormvariate(0, 0.8) for _ in range(folders)]
    scale = (talks - folders) / sum(weights)
    sizes = [1 + int(weight * scale) for weight in weights]
    for index in rng.sample(range(folders), talks - sum(sizes)):
        sizes[index] += 1
    return sizes


class SpeakerPool:
    """Speaker names whose talk counts follow a long tail (``talks.long_tail``)."""

    def __init__(self, rng, talks):
        self.rng = rng
        # Four people for five talks: 0.6 a pick at the 1.33 speakers a talk that ``write_tree``
        # draws, the shape of the real data set.
        self.names = [self.name(number) for number in range(max(2, talks * 4 // 5))]
        self.tail = LongTail(rng, len(self.names))

    def name(self, number):
        if number % 97 == 0:
            base = OTHER_SCRIPTS[number // 97 % len(OTHER_SCRIPTS)]
        else:
            base = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        # Real names repeat; a middle initial and a number keep the rest of the pool distinct.
        return base if number < 50 else f"{base} {chr(65 + number % 26)}. {number}"

    def draw(self, count):
        """Up to ``count`` names: a speaker drawn twice for one talk is listed once."""
        return list(dict.fromkeys(self.names[self.tail.pick()] for _ in range(count)))


def video_record(rng, title, speakers, recorded, number):
    record = {
        "title": title,
        "speakers": speakers,
        "recorded": recorded,
        "description": " ".join(rng.choices(WORDS, k=rng.randint(20, 120))).capitalize() + ".",
        "duration": rng.randint(300, 3600),
        "language": "eng",
        "tags": [spelling(rng, tag) for tag in rng.sample(WORDS, 3)],
        "id": number,
        "thumbnail_url": f"https://i.ytimg.com/vi/synthetic{number}/hqdefault.jpg",
        "videos": [{"type": "youtube", "url": f"https://www.youtube.com/watch?v=syn{number}"}],
        "related_urls": [],
    }
    if rng.random() < 0.4:
        record["related_urls"].append(
            {"label": "Slides", "url": f"https://slides.example.org/{number}"}
        )
    if rng.random() < 0.1:
        record["videos"].append({"type": "mp4", "url": f"https://media.example.org/{number}.mp4"})
    return record


def spelling(rng, tag):
    """A tag as sources spell it: mostly as is, else capitalised, a plural or a hashtag (the
    import folds them into one topic)."""
    return rng.choice([tag, tag, tag, tag.title(), f"{tag}s", f"#{tag}"])


def recording_dates(rng, year):
    """A conference's days: two to five in a row; one folder in ten is a meetup series,
    recorded on a day of each month."""
    if rng.random() < 0.1:
        return [datetime.date(year, month, rng.randint(1, 28)) for month in range(1, 13)]
    first = datetime.date(year, rng.randint(1, 12), rng.randint(1, 24))
    return [first + datetime.timedelta(days=n) for n in range(rng.randint(2, 5))]


def write_tree(root, *, folders=540, talks=21_700, seed=2026):
    """Write a pyvideo-shaped checkout under ``root``; returns the event folders' paths."""
    rng = random.Random(seed)
    root = Path(root)
    (root / "schemas").mkdir(parents=True, exist_ok=True)
    (root / "schemas" / "video.json").write_text('{"type": "object"}\n', encoding="utf-8")
    (root / "schemas" / "category.json").write_text('{"type": "object"}\n', encoding="utf-8")
    # As pyvideo's own: two video ids withheld.
    (root / "NO_PUBLISH.json").write_text("[7, 4242]\n", encoding="utf-8")
    pool = SpeakerPool(rng, talks)
    written, number = [], 0
    for index, size in enumerate(folder_sizes(rng, folders, talks), start=1):
        year = 2008 + index % 17
        slug = f"synthetic-conf-{year}-{index}"
        folder = root / slug
        (folder / "videos").mkdir(parents=True, exist_ok=True)
        category = {"title": f"Synthetic Conference {index} {year}", "url": "https://example.org/"}
        dates = recording_dates(rng, year)
        (folder / "category.json").write_text(json.dumps(category), encoding="utf-8")
        for _ in range(size):
            number += 1
            title = " ".join(rng.choices(WORDS, k=rng.randint(3, 8))).title()
            speakers = pool.draw(rng.choice([0, 1, 1, 1, 1, 1, 2, 2, 3]))
            record = video_record(rng, title, speakers, rng.choice(dates).isoformat(), number)
            stem = f"{slug}-talk-{number}"
            (folder / "videos" / f"{stem}.json").write_text(
                json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        written.append(folder)
    return written


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=540, help="event folders")
    parser.add_argument("--talks", type=int, default=21_700, help="talks in all")
    parser.add_argument("--keep", metavar="DIR", help="write the tree here and keep it")
    return parser.parse_args()


def timed_import(root):
    from django.core.management import call_command

    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_pyvideo", str(root))
    return time.perf_counter() - started, time.process_time() - cpu


def main():
    args = parse_args()
    database = ROOT / "var" / "benchmark-pyvideo.sqlite3"
    database.parent.mkdir(exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_DEBUG", "1")  # as benchmarks/run.py: no secret key needed
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.keep or scratch)
        write_tree(root, folders=args.folders, talks=args.talks)
        first = timed_import(root)
        second = timed_import(root)
    print(f"\n{args.folders} folders, {args.talks} talks (wall time, CPU time of this process):")
    for label, (wall, cpu) in (("first import", first), ("re-import", second)):
        print(f"  {label:12} {wall:6.1f} s  {cpu:6.1f} s")


if __name__ == "__main__":
    main()
