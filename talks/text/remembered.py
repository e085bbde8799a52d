"""Long texts rendered once: the result is kept in the cache under a digest of the text.

A talk page shows its abstract as HTML and, in its description and structured data, as plain
text; exports and feeds show it again. For a long text each rendering costs tenths of a second,
so it is kept until the text changes (a new text is a new digest, so nothing goes stale).
"""

import hashlib

from django.core.cache import cache

from ..models import TextFormat

# Below this length a text renders faster than a round trip to a shared cache.
REMEMBERED_TEXT_LENGTH = 5_000
_KEY_PREFIX = "text:"
_SECONDS = 60 * 60 * 24 * 7


def remembered(kind, text, text_format, render):
    """``render(text, text_format)``, from the cache when the text is long, or is rST (whose
    parser takes milliseconds for a paragraph: an export of a conference's talks would parse
    them all)."""
    if len(text) < REMEMBERED_TEXT_LENGTH and text_format != TextFormat.RST:
        return render(text, text_format)
    digest = hashlib.sha256(f"{kind}\n{text_format}\n{text}".encode()).hexdigest()
    key = f"{_KEY_PREFIX}{digest}"
    result = cache.get(key)
    if result is None:
        result = render(text, text_format)
        cache.set(key, result, _SECONDS)
    return result
