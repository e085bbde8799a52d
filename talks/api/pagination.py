"""Page-number pagination whose every malformed parameter is an error, not a silent default."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from talks.numbers import whole_number

# Past 64 bits no page or page size can be real, and int() refuses over 4,300 digits anyway.
MAX_DIGITS = 18


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
        size = whole_number(raw, max_digits=MAX_DIGITS)
        if size is None or size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Enter a whole number from 1 (at most {self.max_page_size} are used)."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            number = whole_number(raw, max_digits=MAX_DIGITS)
            if number is None or number < 1:
                raise ValidationError(
                    {self.page_query_param: ["Enter a page number from 1, or “last”."]}
                )
        # DRF answers a page past the end with 404 (NotFound).
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
