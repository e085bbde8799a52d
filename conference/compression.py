"""Validators that hold whatever the encoding: the same ETag, made weak, and ``Vary:
Accept-Encoding`` on every answer, 304s included.

GZipMiddleware weakens the ETag of what it compresses and adds the Vary header, but it leaves
a 304 alone (its body is too short to compress), so a revalidated gzipped page came back with a
strong ETag and no Vary, which a shared cache may pair with its uncompressed copy. Placed
between GZipMiddleware and ConditionalGetMiddleware, this gives every answer with an ETag the
form GZipMiddleware would give it; a weak ETag still matches ``If-None-Match`` (RFC 9110 compares
them weakly for GET and HEAD).
"""

from django.utils.cache import patch_vary_headers


class EncodingNeutralValidatorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        etag = response.get("ETag")
        if etag:
            if not etag.startswith("W/"):
                response["ETag"] = f"W/{etag}"
            patch_vary_headers(response, ("Accept-Encoding",))
        return response
