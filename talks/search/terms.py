"""What a search matches, said once for both engines: the words of the query, how a word of
the catalog matches one, and the highlighting of matches in titles and snippets.

Users type plain words, never a query language: the query is cut into words (runs of letters
and digits), and each engine receives only those words, quoted in its own syntax. A word of
three characters or more also matches the words it begins ("contain" finds "containers"),
shorter ones match only themselves; every word must match (AND). Case and diacritics are
ignored ("monica" finds "Mónica"), as both engines' indexes fold them.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Letters and digits; "_" and punctuation separate words, as in both engines' tokenizers.
WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 10
PREFIX_MIN_LENGTH = 3
SNIPPET_WORDS = 30


def fold(word):
    """``word`` as the indexes compare it: lower case, without diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Term:
    word: str  # folded

    @property
    def is_prefix(self):
        return len(self.word) >= PREFIX_MIN_LENGTH

    def matches(self, word):
        folded = fold(word)
        return folded.startswith(self.word) if self.is_prefix else folded == self.word


def parse_terms(query):
    """The distinct words of ``query`` (at most ``MAX_TERMS``), in order."""
    words = dict.fromkeys(fold(match) for match in WORD.findall(query or ""))
    return [Term(word) for word in words if word][:MAX_TERMS]


def _matches(word, terms):
    return any(term.matches(word) for term in terms)


def highlight(text, terms):
    """``text``, escaped, with each matching word wrapped in ``<mark>``."""
    pieces, end = [], 0
    for match in WORD.finditer(text):
        if _matches(match.group(), terms):
            pieces.append(escape(text[end : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))  # every piece of text went through escape()


def snippet(text, terms, length=SNIPPET_WORDS):
    """About ``length`` words of ``text`` around its first match (its start when none
    matches), highlighted, with an ellipsis where it was cut."""
    words = list(WORD.finditer(text))
    if not words:
        return highlight(text.strip(), terms)
    first = next((i for i, word in enumerate(words) if _matches(word.group(), terms)), 0)
    start = max(0, min(first - length // 3, len(words) - length))
    stop = min(len(words), start + length)
    begin = words[start].start() if start else 0
    end = words[stop - 1].end() if stop < len(words) else len(text)
    shown = highlight(text[begin:end].strip(), terms)
    return mark_safe(f"{'… ' if start else ''}{shown}{' …' if stop < len(words) else ''}")
