"""Links in API responses, reversed once per response (``talks.url_patterns``)."""

from rest_framework import serializers

from ..url_patterns import UrlPattern


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
