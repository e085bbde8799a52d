"""URLs reversed once and filled in row by row.

A page of 50 talks, a schedule of 900 or a calendar of 2,000 links every talk, its conference
and its speakers: a ``reverse()`` for each walks the URL resolver thousands of times for URLs
that differ only in a key. ``UrlPattern`` reverses a URL once with a placeholder for each key
and then puts each row's keys in its place. Pages, exports and the API share it.
"""

import re

# Stands in for a key while a URL is reversed: digits, so both id and slug routes accept it.
PLACEHOLDER = "7306149218503"
# Keys that every id and slug route takes and that a URL shows as they are. Any other key,
# and any URL where the placeholder does not turn up once per key, goes through reverse().
PLAIN_KEY = re.compile(r"[-A-Za-z0-9_]+")


class UrlPattern:
    """The URLs ``build(*keys)`` gives, for any keys, from one call of ``build``."""

    def __init__(self, build, arity=1):
        self.build = build
        self.parts = build(*[PLACEHOLDER] * arity).split(PLACEHOLDER)
        self.usable = len(self.parts) == arity + 1

    def fill(self, *keys):
        keys = [str(key) for key in keys]
        if not self.usable or not all(PLAIN_KEY.fullmatch(key) for key in keys):
            return self.build(*keys)
        filled = [self.parts[0]]
        for key, part in zip(keys, self.parts[1:], strict=True):
            filled += [key, part]
        return "".join(filled)
