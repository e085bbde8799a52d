"""Web addresses as the catalog stores them: absolute http(s) URLs in RFC 3986 form.

Every URL is normalised once, where it enters the catalog (the model field, hence the admin,
the API and the catalog loader; the schedule importers), so that every page and export can
write it as it is. Real sources carry addresses that browsers accept but RFC 3986 does not:
host names outside ASCII, spaces and curly quotes in paths, a ``#`` inside a fragment
(``https://matrix.to/#/#room:example.org``). Those are rewritten to the equivalent strict form;
an address that has no such form is refused with the reason.
"""

import functools
import ipaddress
import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import idna
from django.core.exceptions import ValidationError

SCHEMES = ("http", "https")

# What RFC 3986 allows unencoded in each part, besides letters, digits and ``-._~`` (which
# ``quote`` always keeps): pchar's sub-delims, ":" and "@", plus "/" (and "?" after the path).
_PATH_SAFE = "!$&'()*+,;=:@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_ESCAPE = re.compile(r"(%[0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def normalize_url(value):
    """``value`` as an absolute http(s) URL in RFC 3986 form, or ``ValidationError`` saying
    why it cannot be one. Normalising a normalised URL gives it back unchanged."""
    if not isinstance(value, str):
        raise ValidationError(f"A web address must be text, not {type(value).__name__}.")
    text = value.strip()
    if not text:
        raise ValidationError("The web address is empty.")
    if _CONTROL.search(text):
        raise ValidationError(f"“{text}” contains a control character (a line break or tab).")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValidationError(f"“{text}” is not a web address: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        if not scheme:
            raise ValidationError(
                f"“{text}” has no scheme: it must start with https:// or http://."
            )
        raise ValidationError(f"“{text}” uses the {scheme}: scheme; only http(s) is allowed.")
    if parts.username is not None or parts.password is not None:
        raise ValidationError(f"“{text}” carries a user name or password; leave them out.")
    host = _host(parts.netloc, text)
    netloc = host if port is None else f"{host}:{port}"
    try:
        path, query = _encode(parts.path, _PATH_SAFE), _encode(parts.query, _QUERY_SAFE)
        fragment = _encode(parts.fragment, _QUERY_SAFE)
    except UnicodeEncodeError as exc:  # a lone surrogate, e.g. from a broken JSON escape
        raise ValidationError(f"“{text}” holds a character that is not text: {exc}.") from exc
    return urlunsplit((scheme, netloc, path, query, fragment))


def resolve_url(base, reference):
    """``reference`` (absolute, or relative such as frab's ``/system/event_attachments/...``)
    resolved against ``base`` (e.g. a schedule's ``base_url``), then normalised."""
    if isinstance(reference, str) and reference.strip() and not _scheme(reference.strip()):
        if not base:
            raise ValidationError(f"“{reference.strip()}” is relative and there is no base URL.")
        reference = urljoin(normalize_url(base), reference.strip())
    return normalize_url(reference)


def _scheme(text):
    try:
        return urlsplit(text).scheme
    except ValueError:  # e.g. a broken IPv6 literal: normalize_url says so
        return ""


def _host(netloc, text):
    """The host of ``netloc`` (which may end in ``:port``) in ASCII, lower case."""
    if netloc.startswith("["):
        literal = netloc[1:].partition("]")[0]
        try:
            return f"[{ipaddress.IPv6Address(literal).compressed}]"
        except ValueError as exc:
            raise ValidationError(f"“{text}” has an invalid IPv6 address: {exc}.") from exc
    name = netloc.rpartition(":")[0] if ":" in netloc else netloc
    if not name:
        raise ValidationError(f"“{text}” has no host name.")
    try:
        return str(ipaddress.IPv4Address(name))
    except ValueError:
        pass
    try:
        ascii_name = _idna(unquote(name, errors="strict"))
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValidationError(f"“{name}” in “{text}” is not a valid host name: {exc}.") from exc
    labels = ascii_name.removesuffix(".").split(".")
    if len(labels) < 2 and ascii_name != "localhost":
        raise ValidationError(f"“{name}” in “{text}” is not a full host name (no domain).")
    if labels[-1].isdigit() or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValidationError(f"“{name}” in “{text}” is not a valid host name.")
    return ascii_name


# Imports meet the same few hosts thousands of times, and IDNA is the costly step.
@functools.lru_cache(maxsize=4096)
def _idna(name):
    return idna.encode(name, uts46=True).decode("ascii")


def _encode(component, safe):
    """Percent-encode (as UTF-8) what RFC 3986 does not allow in a part, keeping the valid
    ``%XX`` escapes already there, in upper case, so nothing is encoded twice."""
    pieces = _ESCAPE.split(component)
    return "".join(
        piece.upper() if index % 2 else quote(piece, safe=safe)
        for index, piece in enumerate(pieces)
    )
