"""The API's renderers: JSON, with a list's records kept already encoded spliced in, and DRF's
browsable HTML pages under a policy they can live with."""

from csp.constants import UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for people exploring the API in a browser.

    DRF's templates style elements inline (the highlighted-code ``<style>`` block, ``style``
    attributes on the filter and format buttons), so these pages, and only these, allow inline
    style. Their scripts are files, and stay under the site's strict script-src.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            # What django-csp's csp_update decorator does, for this response alone: the view
            # also answers JSON, which needs no exception.
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)


class EncodedRecord(dict):
    """A record's representation with its JSON beside it (``json``), made once by
    ``encoded()`` when the record's fragment is rendered (``FragmentListSerializer``)."""

    __slots__ = ("json",)


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, but a page of records that were each kept encoded is spliced from their
    JSON rather than encoded again: encoding 50 talks took a sixth of the API list's time.
    Pretty-printed JSON (``indent``) is encoded whole, as DRF does."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        results = data.get("results") if isinstance(data, dict) else None
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if results and indent is None and all(isinstance(r, EncodedRecord) for r in results):
            empty_page = super().render({**data, "results": []}, accepted_media_type)
            # The paginator puts the results last (count, next, previous, results).
            if empty_page.endswith(b'"results":[]}'):
                return empty_page[:-2] + b",".join(record.json for record in results) + b"]}"
        return super().render(data, accepted_media_type, renderer_context)


_ENCODER = JSONRenderer()


def encoded(representation):
    """``representation`` (a serializer's dict) as an EncodedRecord, its JSON made now."""
    record = EncodedRecord(representation)
    record.json = _ENCODER.render(representation)
    return record
