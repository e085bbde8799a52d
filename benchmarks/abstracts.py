"""How long a talk page spends on its abstract, for 100,000-character hostile abstracts.

    .venv/bin/python benchmarks/abstracts.py

A talk page renders its abstract once as HTML and twice as plain text (its description and its
structured data). This does the same for each input below, starting from an empty cache, and
prints the CPU time: the cost of the page's first visit after the abstract changed.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402

from talks.models import TextFormat  # noqa: E402
from talks.models.base import LONG_TEXT_MAX_LENGTH  # noqa: E402
from talks.text import as_html, as_plain_text  # noqa: E402

N = LONG_TEXT_MAX_LENGTH
PADDING = "word " * N
MARKDOWN = {
    "100,000 [": "[" * N,
    "![a repeated": "![a" * (N // 3),
    "*a repeated": "*a" * (N // 2),
    "_a repeated": "_a" * (N // 2),
    "[a]( repeated": "[a](" * (N // 4),
    "*_[`< repeated": "*_[`<" * (N // 5),
    "4,000 reference definitions and uses": "".join(
        f"[r{i}]: https://example.org/{i}\n" for i in range(2000)
    )
    + "".join(f"[r{i}] " for i in range(2000)),
    "33,000 paragraphs": "a\n\n" * (N // 3),
    "25,000 headings": "# a\n" * (N // 4),
    "quotes nested 30 deep": "> " * 30 + "the text after them",
    "5,000 ![ at the budget, then words": ("![a" * 2500 + PADDING)[:N],
}
HTML = {
    "8,000 nested <blockquote>": "<blockquote>" * (N // 12),
    "6,000 nested tables": "<table><tr><td>a" * (N // 16),
    "12,500 paragraphs": "<p>a</p>" * (N // 8),
    "1,000 nested <div> at the budget, then paragraphs": ("<div>" * 1000 + "<p>a</p>" * N)[:N],
}


def page_cost(text, text_format):
    cache.clear()
    start = time.process_time()
    as_html(text, text_format)
    as_plain_text(text, text_format)
    as_plain_text(text, text_format)
    return time.process_time() - start


def main():
    for text_format, inputs in ((TextFormat.MARKDOWN, MARKDOWN), (TextFormat.HTML, HTML)):
        for label, text in inputs.items():
            seconds = page_cost(text[:N], text_format)
            print(f"{text_format.label:9} {label:50} {seconds:6.2f} s", flush=True)


if __name__ == "__main__":
    main()
