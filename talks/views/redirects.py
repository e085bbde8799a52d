"""Addresses that moved for good: a merged speaker's or topic's page."""

from django.shortcuts import redirect


def moved_permanently(request, target):
    """A 301 to ``target`` with the request's query (its page, its filters) kept."""
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target, permanent=True)
