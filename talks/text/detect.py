"""Which format a text from outside is written in, for importers that are not told."""

import re

from ..models import TextFormat

_HTML_ELEMENTS = (
    "p|br|a|ul|ol|li|em|strong|b|i|u|code|pre|blockquote|div|span|h[1-6]|img|table|tr|td"
)
# A start tag (with or without attributes) or an end tag of an element prose uses.
_HTML_TAG = re.compile(rf"</?(?:{_HTML_ELEMENTS})(?:\s[^<>]*)?/?>", flags=re.IGNORECASE)
_MARKDOWN_MARKERS = re.compile(
    # [a link](https://…), or with a title as CommonMark writes it: (https://… "Title")
    r"\[[^\]\n]+\]\(\S+?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
    r"|\*\*[^*\n]+\*\*|__[^_\n]+__"  # **strong**
    r"|^[ \t]{0,3}#{1,6}[ \t]+\S"  # # Heading
    r"|^[ \t]{0,3}(?:```|~~~)"  # fenced code
    r"|^[ \t]{0,3}[*+][ \t]+\S",  # * list item ("- " items are the plain format's own lists)
    flags=re.MULTILINE,
)


def detect_format(text):
    """HTML if the text has real tags, Markdown if it has clear Markdown markers, else plain.

    HTML wins over Markdown: shown as Markdown (which escapes raw HTML), tags would appear as
    text, while Markdown markers shown as HTML are only stray asterisks.
    """
    text = text or ""
    if _HTML_TAG.search(text):
        return TextFormat.HTML
    if _MARKDOWN_MARKERS.search(text):
        return TextFormat.MARKDOWN
    return TextFormat.PLAIN
