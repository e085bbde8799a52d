"""Markdown and HTML sources made safe: parsed, then cleaned by nh3 (Ammonia) to an allowlist.

Cleaning runs in two passes. The first keeps the allowlist plus the block elements that give a
text its shape (headings, divisions), so the plain-text writer still sees where blocks end. The
second, for pages, turns those blocks into paragraphs and keeps the allowlist alone.
"""

import re

import nh3
from markdown_it import MarkdownIt

from ..models import TextFormat

PAGE_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "i", "b", "ul", "ol", "li", "code", "pre", "blockquote"}
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
DIVISIONS = frozenset({"div", "section", "article", "header", "footer", "aside"})

_SHARED_RULES = {
    # Their content is code or a nested document, never prose to keep as text.
    "clean_content_tags": {"script", "style", "template", "iframe", "noscript", "object"},
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

# Only run on the first pass's output, whose tags carry no attributes but a link's href.
_HEADING_TAG = re.compile(r"<(/?)h[1-6]>")
_DIVISION_TAG = re.compile(r"</?(?:{})>".format("|".join(sorted(DIVISIONS))))
_BLOCK_TAG = re.compile(
    r"<(?:p|br|ul|ol|li|pre|blockquote|div|h[1-6]|table)\b[^<>]*>", flags=re.IGNORECASE
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def _source_html(text, text_format):
    if text_format == TextFormat.MARKDOWN:
        return _MARKDOWN.render(text)
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
