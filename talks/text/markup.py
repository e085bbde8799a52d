"""Markdown, reStructuredText and HTML sources made safe: parsed, then cleaned by nh3
(Ammonia) to an allowlist.

Cleaning runs in two passes. The first keeps the allowlist plus the block elements that give a
text its shape (headings, divisions), so the plain-text writer still sees where blocks end. The
second, for pages, turns those blocks into paragraphs and keeps the allowlist alone.

Parsing time grows with the markup a text holds rather than with its length: Markdown is
parsed in pure Python, and html5ever (under nh3) slows down with each level of nested blocks.
``markup_fits`` says whether a source is within the budget of its format; one that is not, or
Markdown nested deeper than its parser follows, is shown as plain catalog text instead
(``talks/text/__init__.py``).
"""

import re

import nh3
from markdown_it import MarkdownIt

from ..models import TextFormat
from .plain import plain_html
from .rst import rst_fits, rst_html

PAGE_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "i", "b", "ul", "ol", "li", "code", "pre", "blockquote"}
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
DIVISIONS = frozenset({"div", "section", "article", "header", "footer", "aside"})

# Their content is code or a nested document, never prose to keep as text.
CODE_CONTENT_TAGS = frozenset({"script", "style", "template", "iframe", "noscript", "object"})
_SHARED_RULES = {
    "clean_content_tags": set(CODE_CONTENT_TAGS),
    "attributes": {"a": {"href"}},
    "url_schemes": {"http", "https"},
    # A relative link would point into this site rather than to what the author meant.
    "url_relative": "deny",
    "link_rel": "nofollow noopener noreferrer",
}
_STRUCTURE_CLEANER = nh3.Cleaner(tags=set(PAGE_TAGS | HEADINGS | DIVISIONS), **_SHARED_RULES)
_PAGE_CLEANER = nh3.Cleaner(tags=set(PAGE_TAGS), **_SHARED_RULES)

# Raw HTML in a Markdown source is shown as text: the HTML format exists for HTML sources.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
# Beyond this depth of blocks (quotes, lists) the parser silently drops the rest of the text.
_MAX_BLOCK_LEVEL = _MARKDOWN.options["maxNesting"] - 1

# The characters that open or close Markdown constructs; each costs the parser a rule attempt,
# a delimiter or a line. 5,000 of them parse in about 0.15 s in the worst arrangement measured
# (docs/performance.md); a long abstract written by a person has a few hundred.
MARKDOWN_MARKUP_BUDGET = 5_000
_MARKDOWN_SYNTAX = "*_[]!`<>&#|\\\n"

# html5ever's time grows with the square of how deep elements nest (2,000 levels clean in
# 0.04 s, 10,000 in 0.85 s), while flat tags cost next to nothing. Depth is estimated from the
# tags, counting neither void elements nor those a sibling closes, which never nest in prose.
HTML_DEPTH_BUDGET = 1_000
_HTML_TAG_NAME = re.compile(r"<(/?)([a-z][a-z0-9]*)", flags=re.IGNORECASE)
_UNNESTED_ELEMENTS = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "option"}
    | {"br", "img", "hr", "wbr", "input", "col", "area", "source", "track", "embed", "meta"}
)


def _html_depth(text):
    depth = deepest = 0
    for closing, name in _HTML_TAG_NAME.findall(text):
        if name.lower() in _UNNESTED_ELEMENTS:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def markup_fits(text, text_format):
    """Whether a Markdown, rST or HTML source has little enough markup to be parsed in its
    format."""
    if text_format == TextFormat.MARKDOWN:
        return sum(map(text.count, _MARKDOWN_SYNTAX)) <= MARKDOWN_MARKUP_BUDGET
    if text_format == TextFormat.RST:
        return rst_fits(text)
    return _html_depth(text) <= HTML_DEPTH_BUDGET


# Only run on the first pass's output, whose tags carry no attributes but a link's href.
_HEADING_TAG = re.compile(r"<(/?)h[1-6]>")
_DIVISION_TAG = re.compile(r"</?(?:{})>".format("|".join(sorted(DIVISIONS))))
_BLOCK_TAG = re.compile(
    r"<(?:p|br|ul|ol|li|pre|blockquote|div|h[1-6]|table)\b[^<>]*>", flags=re.IGNORECASE
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def _markdown_html(text):
    """The Markdown source as HTML, or None when it is nested too deep to be parsed whole."""
    tokens = _MARKDOWN.parse(text)
    if any(token.level >= _MAX_BLOCK_LEVEL for token in tokens):
        return None
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def _source_html(text, text_format):
    if text_format in (TextFormat.MARKDOWN, TextFormat.RST):
        html = _markdown_html(text) if text_format == TextFormat.MARKDOWN else rst_html(text)
        return plain_html(text) if html is None else html
    if _BLOCK_TAG.search(text):
        return text
    # Inline HTML in text that marks paragraphs with blank lines, as many schedule tools write.
    return "".join(f"<p>{part}</p>" for part in _BLANK_LINES.split(text.strip()))


def structure_html(text, text_format):
    """Clean HTML with the allowlist, headings and divisions, for the plain-text writer."""
    return _STRUCTURE_CLEANER.clean(_source_html(text, text_format))


def page_html(text, text_format):
    """Clean HTML for a page: the allowlist only, headings as bold paragraphs."""
    html = structure_html(text, text_format)
    html = _HEADING_TAG.sub(lambda tag: "</strong></p>" if tag[1] else "<p><strong>", html)
    html = _DIVISION_TAG.sub("<p>", html)
    # The second pass re-parses, closing the paragraphs the substitutions opened.
    return _PAGE_CLEANER.clean(html).replace("<p></p>", "")
