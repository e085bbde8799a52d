"""Catalog text (abstracts, summaries, descriptions) for pages and for text outputs.

A text keeps its source format (``TextFormat``): plain catalog text, Markdown,
reStructuredText or HTML. Pages get HTML that is escaped (plain) or cleaned to an allowlist
(the others); calendars, feeds, structured data and schedule exports get plain text, from the
parsed document.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import TextFormat
from .detect import detect_format
from .extract import html_to_text
from .markup import markup_fits, page_html, structure_html
from .plain import plain_html
from .remembered import remembered

__all__ = ["as_html", "as_plain_text", "detect_format", "join_texts"]

_MARKUP_FORMATS = frozenset({TextFormat.MARKDOWN, TextFormat.RST, TextFormat.HTML})


def _normalised(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def as_html(text, text_format=TextFormat.PLAIN):
    """Safe HTML for a page. An unknown format is treated as plain text: escaped."""
    return mark_safe(remembered("page", _normalised(text), text_format, _page_html))


def _page_html(text, text_format):
    if text_format in _MARKUP_FORMATS and markup_fits(text, text_format):
        return page_html(text, text_format)  # cleaned by nh3 to the allowlist
    if text_format == TextFormat.HTML:
        # Over its budget: its text (as text outputs show it), in the plain convention.
        text = as_plain_text(text, text_format)
    return plain_html(text)  # every piece of text went through escape()


def as_plain_text(text, text_format=TextFormat.PLAIN):
    """Text without markup for text outputs: tags gone, entities decoded, blocks as lines."""
    text = _normalised(text)
    if text_format in _MARKUP_FORMATS:
        return remembered("plain", text, text_format, _markup_as_text)
    return text.strip()


def _markup_as_text(text, text_format):
    if markup_fits(text, text_format):
        return html_to_text(structure_html(text, text_format))
    # Over its budget, as on pages: the HTML source's text, the others' source as it is.
    return html_to_text(text) if text_format == TextFormat.HTML else text.strip()


def join_texts(*texts):
    """Several source texts (a frab abstract and description) as one text and its format.

    Each part is detected on its own: when one is HTML the others become HTML paragraphs, so
    a plain part keeps its paragraphs; Markdown with plain text is Markdown."""
    parts = [text for text in dict.fromkeys(_normalised(t).strip() for t in texts) if text]
    formats = [detect_format(part) for part in parts]
    if TextFormat.HTML in formats:
        return "\n\n".join(
            part if text_format == TextFormat.HTML else _paragraphs(part)
            for part, text_format in zip(parts, formats, strict=True)
        ), TextFormat.HTML
    joined = "\n\n".join(parts)
    return joined, TextFormat.MARKDOWN if TextFormat.MARKDOWN in formats else TextFormat.PLAIN


def _paragraphs(text):
    return "\n".join(f"<p>{escape(block)}</p>" for block in re.split(r"\n\s*\n", text))
