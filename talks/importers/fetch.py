"""Schedules published on the web, fetched for an import: bounded in time, size and redirects.

Only http and https are followed, the first request and every redirect alike, so a schedule URL
cannot make the importer read a local file or another scheme's resource; and, unless the
operator sets ``CATALOG_ALLOW_PRIVATE_SOURCES``, no request or redirect goes to a host that
resolves to a loopback, private, link-local or otherwise non-public address, so that whoever
can name a source cannot make the server read its internal network. (A host whose DNS answer
changes between the check and the connection could still slip through; an egress firewall is
the complete answer, and the README says so.)
"""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from talks import files

from .data import ImportFailure

TIMEOUT_SECONDS = 30
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")


def is_web_address(source):
    return str(source).split(":", 1)[0].lower() in SCHEMES


def refuse_private_address(url):
    """Raise ``ImportFailure`` if ``url``'s host resolves to a non-public address, unless the
    operator allows it (``CATALOG_ALLOW_PRIVATE_SOURCES``)."""
    if settings.CATALOG_ALLOW_PRIVATE_SOURCES:
        return
    host = urlsplit(url).hostname
    if not host:
        raise ImportFailure(url, "the address names no host")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError) as exc:
        raise ImportFailure(url, f"cannot resolve {host}: {exc}") from exc
    for address in sorted(addresses):
        ip = ipaddress.ip_address(address.split("%")[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not ip.is_global:
            raise ImportFailure(
                url,
                f"{host} is a loopback, private or link-local address ({ip}); the server only "
                "fetches public addresses unless CATALOG_ALLOW_PRIVATE_SOURCES=1",
            )


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise urllib.error.HTTPError(
                newurl, code, f"redirected to a non-http(s) address {newurl}", headers, fp
            )
        refuse_private_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Fetched:
    """What a fetch found: the body, or None when the source answered 304 Not Modified to the
    validators of the last fetch; and the validators to send next time."""

    body: bytes | None
    etag: str = ""
    last_modified: str = ""


def fetch_if_changed(
    url,
    *,
    etag="",
    last_modified="",
    timeout=TIMEOUT_SECONDS,
    max_bytes=files.DEFAULT_MAX_BYTES,
    what="schedule",
):
    """A conditional GET of ``url`` with the validators of the last fetch: a ``Fetched``.
    ``what`` names the resource in the errors ("the schedule is over the limit...")."""
    refuse_private_address(url)
    opener = urllib.request.build_opener(_Redirects)
    headers = {"User-Agent": "conference-talks-catalog"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        request = urllib.request.Request(url, headers=headers)
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise ImportFailure(
                    url, f"the {what} is {int(length):,} bytes, over the limit of {max_bytes:,}"
                )
            body = response.read(max_bytes + 1)
            validators = (
                response.headers.get("ETag", "")[:500],
                response.headers.get("Last-Modified", "")[:100],
            )
    except urllib.error.HTTPError as exc:
        if exc.code == http.client.NOT_MODIFIED and (etag or last_modified):
            return Fetched(None, etag, last_modified)
        raise ImportFailure(url, f"the server answered {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise ImportFailure(url, f"cannot fetch it: {exc.reason}") from exc
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise ImportFailure(url, f"cannot fetch it: {exc}") from exc
    except ValueError as exc:
        raise ImportFailure(url, f"not a usable URL: {exc}") from exc
    if len(body) > max_bytes:
        raise ImportFailure(url, f"the {what} is over the limit of {max_bytes:,} bytes")
    return Fetched(body, *validators)
