"""Page-number pagination whose every malformed parameter is an error, not a silent default."""

from functools import cached_property

from django.db.models import OuterRef
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from talks.models import Conference
from talks.models.base import row_count
from talks.numbers import whole_number

# More digits than any real page (or page size) has; read as a number they would only cost
# time, and past 4,300 digits Python refuses to read them at all.
MAX_DIGITS = 9


class CatalogPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_size_query_description = (
        f"Results per page, from 1; default {page_size}, larger values are capped at "
        f"{max_page_size}."
    )
    page_query_description = "Page number, from 1. A page past the last one answers 404."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = self._whole_number(raw)
        if size is None or size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Enter a whole number from 1 to {10**MAX_DIGITS - 1} "
                        f"(at most {self.max_page_size} are used)."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            number = self._whole_number(raw)
            if number is None or number < 1:
                raise ValidationError(
                    {
                        self.page_query_param: [
                            f"Enter a page number from 1 to {10**MAX_DIGITS - 1}, or “last”."
                        ]
                    }
                )
        # DRF answers a page past the end with 404 (NotFound).
        return super().paginate_queryset(queryset, request, view)

    @staticmethod
    def _whole_number(raw):
        # Exactly ASCII digits: int() would also read " 7" or "+7" (whole_number strips).
        return whole_number(raw, MAX_DIGITS) if raw == raw.strip() else None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        number = {"type": "integer", "minimum": 1, "maximum": 10**MAX_DIGITS - 1}
        for parameter in parameters:
            parameter["schema"] = dict(number)
            if parameter["name"] == self.page_query_param:
                last = {"type": "string", "enum": list(self.last_page_strings)}
                parameter["schema"] = {"anyOf": [number, last]}
        return parameters


class ConferenceMajorTalks:
    """Talks in catalog order (``TalkQuerySet.in_catalog_order``), for the Paginator, sliced
    without sorting all of them.

    The order is conference first, and neither database can sort the talks by their
    conference's date from an index: a page of the whole list sorted 20,000 talks. Here the
    talks of each conference are counted first, conferences in catalog order (one query, in
    place of the Paginator's COUNT), and a page then reads and sorts only the talks of the
    conferences it spans. Same rows, same order, same query count.
    """

    ordered = True  # the Paginator warns about unordered lists

    def __init__(self, talks):
        self.talks = talks

    @cached_property
    def _counts(self):
        # Each conference's share of exactly these talks, filters included.
        shares = row_count(self.talks.filter(conference=OuterRef("pk")))
        counts = Conference.objects.newest_first().annotate(share=shares).values_list("pk", "share")
        return [(conference, share) for conference, share in counts if share]

    def count(self):
        return sum(share for _, share in self._counts)

    def __getitem__(self, window):
        spanned, skipped, passed = [], None, 0
        for conference, share in self._counts:
            if passed >= window.stop:
                break
            if passed + share > window.start:
                spanned.append(conference)
                skipped = passed if skipped is None else skipped
            passed += share
        if not spanned:
            return self.talks.none()
        talks = self.talks.filter(conference__in=spanned)
        return talks[window.start - skipped : window.stop - skipped]
