"""The public HTML pages, one module per part of the catalog.

Views stay thin: they fetch with a QuerySet method of ``talks.models`` (which owns the
prefetching), filter with ``talks.filters.TalkFilterSet`` and hand the result to a template.
"""
