"""The client's address, as one rule for throttling and login lockout alike."""

from django.conf import settings


def client_ip(request):
    """The address of the client that sent ``request``.

    ``CATALOG_NUM_PROXIES`` says how many proxies of our own stand in front of the site: each
    appends the address it received from to ``X-Forwarded-For``, so the client is that many
    entries from the end. Anything further left was written by the client and is ignored, so a
    forged header cannot dodge a limit. With no proxy the connection's own address is used.
    """
    proxies = settings.CATALOG_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
