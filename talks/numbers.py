"""Whole numbers typed into URLs (day numbers, talk ids, page numbers)."""

import re

_ASCII_DIGITS = re.compile(r"[0-9]+")


def whole_number(text, max_digits):
    """The number ``text`` spells in ASCII digits (at most ``max_digits``), or None.

    ``str.isdigit()`` is not enough: it accepts "²", which ``int()`` refuses, and the
    Arabic-Indic digit one (U+0661), which ``int()`` reads as 1.
    """
    text = str(text).strip()
    if len(text) <= max_digits and _ASCII_DIGITS.fullmatch(text):
        return int(text)
    return None
