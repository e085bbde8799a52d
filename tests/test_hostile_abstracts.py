"""100,000-character abstracts built to make the Markdown or HTML parser slow render boundedly:
over their format's markup budget they are shown as plain catalog text, and a long text is
rendered once until it changes."""

import pytest
from lxml import html as lxml_html

from talks import text as text_module
from talks.models import TextFormat
from talks.models.base import LONG_TEXT_MAX_LENGTH
from talks.text import as_html, as_plain_text
from talks.text.markup import HTML_DEPTH_BUDGET, MARKDOWN_MARKUP_BUDGET, markup_fits
from talks.text.plain import plain_html
from tests.builders import make_conference, make_talk

N = LONG_TEXT_MAX_LENGTH

# Each took from 2 to 6 seconds of a talk page's time before the budget (docs/performance.md).
SLOW_MARKDOWN = {
    "brackets": "[" * N,
    "images": "![a" * (N // 3),
    "emphasis": "*a" * (N // 2),
    "link openings": "[a](" * (N // 4),
    "mixed delimiters": "*_[`<" * (N // 5),
    "paragraphs": "a\n\n" * (N // 3),
    "headings": "# a\n" * (N // 4),
}


@pytest.mark.parametrize("name", SLOW_MARKDOWN)
def test_markdown_over_its_budget_is_shown_as_plain_text(name):
    source = SLOW_MARKDOWN[name]
    assert not markup_fits(source, TextFormat.MARKDOWN)

    assert as_html(source, TextFormat.MARKDOWN) == plain_html(source)
    assert as_plain_text(source, TextFormat.MARKDOWN) == source.strip()


def test_markdown_over_its_budget_keeps_every_character_escaped():
    source = "<b>bold?</b> **not bold** [not a link](https://example.org)\n\n" + "*" * (
        MARKDOWN_MARKUP_BUDGET
    )

    html = as_html(source, TextFormat.MARKDOWN)

    assert html.startswith(
        "<p>&lt;b&gt;bold?&lt;/b&gt; **not bold** [not a link](https://example.org)</p>"
    )
    assert "<strong>" not in html
    assert "<a " not in html


def test_markdown_within_its_budget_is_still_markdown():
    source = "**bold** and a [link](https://example.org)\n\n" + "word " * (N // 6)
    assert markup_fits(source, TextFormat.MARKDOWN)

    html = as_html(source, TextFormat.MARKDOWN)

    assert html.startswith("<p><strong>bold</strong> and a <a href")


def test_markdown_nested_deeper_than_the_parser_follows_keeps_its_text():
    """markdown-it stops at 20 levels and drops the rest of the text: it is plain text then."""
    source = "> " * 30 + "the words after the quotes\n\nand the next paragraph"

    html = as_html(source, TextFormat.MARKDOWN)

    assert "the words after the quotes" in html
    assert "<p>and the next paragraph</p>" in html
    assert "<blockquote>" not in html
    assert "and the next paragraph" in as_plain_text(source, TextFormat.MARKDOWN)


def test_html_nested_too_deep_is_shown_as_its_text():
    source = (
        "<div>" * (HTML_DEPTH_BUDGET + 1)
        + "<p>First <b>words</b></p><script>alert('x')</script><p>Second &amp; last</p>"
    )
    assert not markup_fits(source, TextFormat.HTML)

    html = as_html(source, TextFormat.HTML)

    assert html == "<p>First words</p>\n<p>Second &amp; last</p>"
    assert as_plain_text(source, TextFormat.HTML) == "First words\n\nSecond & last"


def test_many_flat_tags_are_within_the_html_budget():
    source = "<p>a <em>b</em></p>" * (N // 20)

    assert markup_fits(source, TextFormat.HTML)
    assert as_html(source, TextFormat.HTML).startswith("<p>a <em>b</em></p>")


def test_a_long_text_is_rendered_once_until_it_changes(monkeypatch):
    renders = []

    def counted(text, text_format):
        renders.append(text)
        return "<p>rendered</p>"

    monkeypatch.setattr(text_module, "page_html", counted)
    source = "**bold** " * 1000

    assert as_html(source, TextFormat.MARKDOWN) == "<p>rendered</p>"
    assert as_html(source, TextFormat.MARKDOWN) == "<p>rendered</p>"
    assert len(renders) == 1
    as_html(source + "changed", TextFormat.MARKDOWN)
    assert len(renders) == 2
    # A short text costs less to render than to look up in a shared cache.
    as_html("**short**", TextFormat.MARKDOWN)
    as_html("**short**", TextFormat.MARKDOWN)
    assert len(renders) == 4


@pytest.mark.parametrize(
    ("source", "text_format"),
    [
        ("[" * N, TextFormat.MARKDOWN),
        ("![<script>" * (N // 10), TextFormat.MARKDOWN),
        ("<blockquote>" * (N // 12), TextFormat.HTML),
    ],
)
def test_the_talk_page_shows_a_hostile_abstract(client, db, source, text_format):
    talk = make_talk(make_conference(), abstract=source, abstract_format=text_format)

    response = client.get(talk.get_absolute_url())

    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    section = page.get_element_by_id("abstract").getparent()
    assert not section.xpath(".//script | .//img | .//blockquote")
    assert not page.xpath("//script[not(@type) or @type!='application/ld+json'][not(@src)]")
