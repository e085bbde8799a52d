"""Compression of pages, exports and feeds: Django's GZipMiddleware, with two differences.

- **Not the API.** Its ETags are record versions that ``If-Match`` compares strongly, as it
  must to refuse a lost update (talks.api); GZipMiddleware makes the ETag of what it
  compresses weak, so a client accepting gzip could never write again.
- **304s get the validators of their 200s.** GZipMiddleware leaves a 304 alone (no body to
  compress), so a revalidated gzipped page came back with a strong ETag and no ``Vary:
  Accept-Encoding``, which a shared cache may pair with its uncompressed copy. A weak ETag
  still matches ``If-None-Match``, which compares weakly (RFC 9110).
"""

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

from .errors import is_api


class CatalogGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if is_api(request):
            return response
        if response.status_code == 304:
            patch_vary_headers(response, ("Accept-Encoding",))
            etag = response.get("ETag")
            accepts_gzip = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            if etag and accepts_gzip and not etag.startswith("W/"):
                response["ETag"] = f"W/{etag}"
            return response
        return super().process_response(request, response)
