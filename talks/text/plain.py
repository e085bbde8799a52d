"""The catalog's own plain-text convention, rendered as escaped HTML."""

import re

from django.utils.html import escape

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _inline(escaped):
    return _CODE_SPAN.sub(r"<code>\1</code>", escaped).replace("\n", "<br>")


def plain_html(text):
    """Blank lines separate paragraphs, a block of "- " lines is a list, and `backticks` mark
    code. Everything else is escaped."""
    blocks = []
    # Escaped as a whole (once, not per block): escaping leaves the convention's marks alone.
    for block in re.split(r"\n\s*\n", escape(text.strip())):
        lines = block.splitlines()
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif block:
            blocks.append(f"<p>{_inline(block)}</p>")
    return "\n".join(blocks)
