"""Catalog text (abstracts, summaries, descriptions) for pages and for text outputs.

A text keeps its source format (``TextFormat``): plain catalog text, Markdown or HTML. Pages
get HTML that is escaped (plain) or cleaned to an allowlist (Markdown, HTML); calendars,
feeds, structured data and schedule exports get plain text.
"""

from django.utils.safestring import mark_safe

from ..models import TextFormat
from .detect import detect_format
from .extract import html_to_text
from .markup import page_html, structure_html
from .plain import plain_html

__all__ = ["as_html", "as_plain_text", "detect_format"]

_MARKUP_FORMATS = frozenset({TextFormat.MARKDOWN, TextFormat.HTML})


def _normalised(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def as_html(text, text_format=TextFormat.PLAIN):
    """Safe HTML for a page. An unknown format is treated as plain text: escaped."""
    text = _normalised(text)
    if text_format in _MARKUP_FORMATS:
        return mark_safe(page_html(text, text_format))  # cleaned by nh3 to the allowlist
    return mark_safe(plain_html(text))  # every piece of text went through escape()


def as_plain_text(text, text_format=TextFormat.PLAIN):
    """Text without markup for text outputs: tags gone, entities decoded, blocks as lines."""
    text = _normalised(text)
    if text_format in _MARKUP_FORMATS:
        return html_to_text(structure_html(text, text_format))
    return text.strip()
