"""The API's renderers: JSON, and DRF's browsable HTML pages under a policy they can live with."""

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
