"""Page numbers from the query string: a bad or out-of-range one shows a page, with a message."""

from django.core.paginator import Paginator
from django.utils.text import Truncator

from talks.numbers import whole_number


def paginate(request, items, per_page):
    """(page, problem): the requested page, or the nearest one and why it was not served.

    The page's rows are fetched here, so that no query runs while the template renders."""
    page, problem = _requested_page(Paginator(items, per_page), request)
    page.object_list = list(page.object_list)
    return page, problem


def _requested_page(paginator, request):
    given = request.GET.getlist("page")
    if len(given) > 1:
        # As with the filters, no value is silently dropped (Django's get() takes the last).
        return paginator.page(1), "Give the page number once; showing page 1."
    raw = (given[0] if given else "").strip() or "1"
    number = whole_number(raw, max_digits=9)
    if number is None:
        # Shortened: the value may be thousands of characters long.
        shown = Truncator(raw).chars(24)
        return paginator.page(1), f"“{shown}” is not a page number; showing page 1."
    if number < 1:
        return paginator.page(1), "Pages start at 1; showing page 1."
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), f"There is no page {number}; showing page {last} of {last}."
    return paginator.page(number), None
