"""Schedules published on the web, fetched for an import: bounded in time, size and redirects.

Only http and https are followed, the first request and every redirect alike, so a schedule URL
cannot make the importer read a local file or another scheme's resource.
"""

import http.client
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from talks import files

from .data import ImportFailure

TIMEOUT_SECONDS = 30
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")


def is_web_address(source):
    return str(source).split(":", 1)[0].lower() in SCHEMES


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise urllib.error.HTTPError(
                newurl, code, f"redirected to a non-http(s) address {newurl}", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url, *, timeout=TIMEOUT_SECONDS, max_bytes=files.DEFAULT_MAX_BYTES):
    """The body at ``url``, or ``ImportFailure`` saying what went wrong on the way."""
    opener = urllib.request.build_opener(_Redirects)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "conference-talks-catalog"})
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise ImportFailure(
                    url, f"the schedule is {int(length):,} bytes, over the limit of {max_bytes:,}"
                )
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise ImportFailure(url, f"the server answered {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise ImportFailure(url, f"cannot fetch it: {exc.reason}") from exc
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise ImportFailure(url, f"cannot fetch it: {exc}") from exc
    except ValueError as exc:
        raise ImportFailure(url, f"not a usable URL: {exc}") from exc
    if len(body) > max_bytes:
        raise ImportFailure(url, f"the schedule is over the limit of {max_bytes:,} bytes")
    return body
