"""reStructuredText, rendered safely (issue 18, point 1): pyvideo's descriptions and summaries
read as their authors wrote them, through docutils with every file, raw-HTML and network
feature turned off, cleaned by the same allowlist as HTML and Markdown, within a budget, and as
plain text (from the parsed document) for feeds, calendars and meta tags."""

import json
import re

import pytest
from lxml import html as lxml_html

from talks.models import TextFormat
from talks.text import as_html, as_plain_text
from talks.text import rst as rst_module
from talks.text.markup import markup_fits
from talks.text.plain import plain_html
from tests.shared_files import shared_path

RST = TextFormat.RST
# What an rST source shows when it is not rendered: directives, substitutions, link ends,
# roles, and the inline literal's double backquotes.
MARKERS = re.compile(r"(?m)^\s*\.\. |\|\w[\w -]*\||`_|:\w+:`|``")


def page_text(html):
    """The text a page shows of ``html``."""
    return lxml_html.fragment_fromstring(html, create_parent="div").text_content()


def sample_texts():
    folder = shared_path("samples", "pyvideo")
    for path in sorted(folder.glob("*/videos/*.json")):
        video = json.loads(path.read_text())
        for field in ("summary", "description"):
            if (video.get(field) or "").strip():
                yield f"{path.parent.parent.name}/{path.name}:{field}", video[field]


# Its author nested a link in emphasis (*acquired by `FullContact <...>`__*), which rST does
# not allow: docutils, like pyvideo.org, shows that link as written. Everything else renders.
NESTED_MARKUP = {"pycon-ca-2016/hackers-guide-to-neural-networks.json:description": ["`_"] * 2}


def test_every_sample_description_renders_without_markers():
    texts = dict(sample_texts())
    assert len(texts) > 300
    shown_markers = {}
    for name, text in texts.items():
        html = as_html(text, RST)
        visible = page_text(str(html)) if html.strip() else ""
        plain = as_plain_text(text, RST)
        found = MARKERS.findall(visible) + MARKERS.findall(plain)
        if found:
            shown_markers[name] = found
    assert shown_markers == NESTED_MARKUP


def test_links_lists_and_literal_blocks_keep_their_shape():
    source = (
        "Intro with a `link <https://example.org/talk>`_ and ``code``.\n\n"
        "* one\n* two\n\n"
        "Example::\n\n    def f():\n        return 1\n"
    )
    html = str(as_html(source, RST))
    assert '<a href="https://example.org/talk" rel="nofollow noopener noreferrer">link</a>' in html
    assert "<li><p>one</p></li>" in html
    assert "<pre>def f():\n    return 1</pre>" in html
    assert "``" not in html


def test_an_image_substitution_resolves_to_its_alternative_text_and_loads_nothing():
    # docutils gives an image in a substitution its name as alternative text.
    source = "Look: |demo_gif| and more.\n\n.. |demo_gif| image:: https://example.org/a.gif\n"
    html = str(as_html(source, RST))
    assert page_text(html) == "Look: demo_gif and more.\n"
    assert "<img" not in html
    assert "example.org/a.gif" not in html
    assert as_plain_text(source, RST) == "Look: demo_gif and more."
    described = ".. image:: https://example.org/b.png\n   :alt: A diagram of the cluster\n"
    assert page_text(str(as_html(described, RST))).strip() == "A diagram of the cluster"


@pytest.mark.parametrize(
    "source",
    [
        ".. include:: /etc/passwd\n",
        ".. raw:: html\n\n   <script>alert(1)</script>\n",
        ".. raw:: html\n   :file: /etc/passwd\n",
        ".. csv-table:: Users\n   :file: /etc/passwd\n",
        ".. figure:: /etc/passwd\n   :scale: 50%\n\n   A caption\n",
        ".. image:: /etc/passwd\n   :scale: 50%\n",
    ],
)
def test_nothing_reads_files_or_passes_raw_html(source):
    html = str(as_html(source, RST))
    visible = page_text(html) if html.strip() else ""
    assert "root:" not in html
    assert "<script" not in html
    assert "alert(1)" not in visible


def test_a_source_docutils_cannot_parse_is_plain_text(monkeypatch):
    def fails(*args, **kwargs):
        raise ValueError("a parser failure")

    monkeypatch.setattr(rst_module, "publish_parts", fails)
    source = "Line one\nline two\n\n`unfinished"
    assert str(as_html(source, RST)) == plain_html(source)


HOSTILE = {
    "deep nesting": "".join(" " * depth + "x\n\n" for depth in range(300)),
    "nested lists": "".join("  " * depth + "- x\n\n" for depth in range(200)),
    "huge table": ("+" + "---+" * 60 + "\n" + "|" + "   |" * 60 + "\n") * 60,
    "many substitutions": " ".join(f"|s{n}|" for n in range(3000))
    + "\n\n"
    + "\n".join(f".. |s{n}| replace:: x{n}" for n in range(3000)),
    "emphasis": "*a* " * 5000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_sources_over_the_budget_are_plain_text(name):
    source = HOSTILE[name]
    assert not markup_fits(source, RST)
    assert str(as_html(source, RST)) == plain_html(source)
    assert as_plain_text(source, RST) == source.strip()


def test_a_page_shows_an_rst_abstract_rendered(client, db):
    from tests.builders import make_conference, make_talk

    talk = make_talk(
        make_conference(),
        title="Pandas tricks",
        abstract="Read `the docs <https://pandas.pydata.org>`_.\n\n.. note:: Bring a laptop.\n",
        abstract_format=RST,
    )
    page = client.get(talk.get_absolute_url()).content.decode()
    assert '<a href="https://pandas.pydata.org"' in page
    assert "Bring a laptop." in page
    assert ".. note::" not in page
    assert "`_" not in page
