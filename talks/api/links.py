"""Links in API responses, reversed once per response and filled in row by row.

A page of 50 talks links every talk, its conference and its speakers: a ``reverse()`` for each
walks the URL resolver hundreds of times for URLs that differ only in a key. ``UrlPattern``
reverses a URL once with a placeholder for each key and then puts each row's keys in its place.
"""

import re

from rest_framework import serializers

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


class IdentityLinkField(serializers.HyperlinkedIdentityField):
    """DRF's link to a record's own API URL, with its query (``?format=``) and format suffix,
    reversed once per field: a field belongs to one serializer, which serves one response."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.patterns = {}

    def get_url(self, obj, view_name, request, format):
        if obj.pk in (None, ""):
            return None
        pattern = self.patterns.get((view_name, format))
        if pattern is None:
            pattern = self.patterns[view_name, format] = UrlPattern(
                lambda key: self.reverse(
                    view_name, kwargs={self.lookup_url_kwarg: key}, request=request, format=format
                )
            )
        return pattern.fill(getattr(obj, self.lookup_field))
