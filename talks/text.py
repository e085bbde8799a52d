"""Catalog text (abstracts, summaries, descriptions) as HTML, for pages and feeds alike."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _inline(text):
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text)).replace("\n", "<br>")


def as_html(text):
    """Catalog text as HTML: blank lines separate paragraphs, a block of "- " lines is a list,
    and `backticks` mark code. Everything else is escaped."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = block.splitlines()
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif block:
            blocks.append(f"<p>{_inline(block)}</p>")
    return mark_safe("\n".join(blocks))  # every piece of text went through escape()
