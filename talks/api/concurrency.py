"""No lost updates: each record's ETag, and the If-Match / If-None-Match preconditions.

A detail's ETag has two parts, ``"<version>.<content>"``. The version is a hash of the record's
model, primary key and ``updated_at``, which every ``save()`` sets; writes through the API and
the admin save the record itself, so it changes with every change of the record's own fields,
of a talk's speakers or links, of an announcement's presenters. The content part is a hash of
the JSON the client was sent, so it also changes when a summary of another record shown in it
changes (a speaker's name in a talk, a new talk in a speaker's list): If-None-Match never
answers 304 over such a change.

If-Match compares the version part only: a write is refused (412) when the record itself
changed since it was read, which is what the write could overwrite, and not because a speaker
shown in a talk was renamed meanwhile. It is optional unless ``CATALOG_API_REQUIRE_IF_MATCH``
is on: clients that send none keep working as before, without the protection.
"""

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils.http import quote_etag
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from talks.caching import listed_etags, none_match
from talks.freshness import catalog_changes

WRITE_METHODS = {"PUT", "PATCH", "DELETE"}


def _digest(data, length):
    return hashlib.sha256(data).hexdigest()[:length]


def record_version(record):
    # The concrete model: a keynote read under /keynotes/ is the same record as under /talks/.
    label = record._meta.concrete_model._meta.label
    return _digest(f"{label}:{record.pk}:{record.updated_at.isoformat()}".encode(), 24)


def record_etag(record, data):
    """The ETag of ``record`` shown as ``data`` (what its serializer gave)."""
    return quote_etag(f"{record_version(record)}.{_digest(JSONRenderer().render(data), 16)}")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, current_etag):
        super().__init__(
            {
                "detail": (
                    "The record changed since you read it (If-Match does not name its current "
                    "ETag). GET it again, reapply your change and send the new ETag."
                ),
                "etag": current_etag,
            }
        )


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "This site requires an If-Match header on every change: GET the record and send its ETag."
    )


class VersionedRecordMixin:
    """For a catalog viewset: ETags on details, 304 for If-None-Match, 412 for a stale If-Match.

    The version check and the write are one compare-and-swap (``lock_unchanged_since``), so of
    two writers holding the same ETag exactly one succeeds, however close together they come.
    """

    etag = None  # finalize_response() sends it as the ETag header
    written = None  # the record a create or update saved
    checked_version = None  # the updated_at that If-Match named, once checked

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        data = self.get_serializer(record).data
        self.etag = record_etag(record, data)
        if none_match(request.headers.get("If-None-Match"), self.etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED)
        return Response(data)

    def get_object(self):
        record = super().get_object()
        if self.request.method in WRITE_METHODS:
            self._check_if_match(record)
        return record

    # Each write is one transaction, whose changes are marked once (talks.freshness).

    def perform_create(self, serializer):
        with transaction.atomic(), catalog_changes():
            super().perform_create(serializer)
        self.written = serializer.instance

    def perform_update(self, serializer):
        with transaction.atomic(), catalog_changes():
            self._lock_checked_version(serializer.instance)
            super().perform_update(serializer)
        self.written = serializer.instance

    def perform_destroy(self, instance):
        with transaction.atomic(), catalog_changes():
            self._lock_checked_version(instance)
            super().perform_destroy(instance)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.written and response.status_code in {200, 201}:
            self.etag = record_etag(self.written, response.data)
        if self.etag and response.status_code in {200, 201, 304, 412}:
            response["ETag"] = self.etag
        return response

    # --- The preconditions --------------------------------------------------------------------

    def _check_if_match(self, record):
        header = self.request.headers.get("If-Match")
        if header is None:
            if settings.CATALOG_API_REQUIRE_IF_MATCH:
                raise PreconditionRequired
            return
        listed = listed_etags(header)
        if "*" in listed:
            return
        # Strong comparison of the version part: a weak tag (W/"...") never matches.
        version = f'"{record_version(record)}.'
        if not any(tag.startswith(version) for tag in listed):
            self._refuse(record)
        self.checked_version = record.updated_at

    def _lock_checked_version(self, record):
        # Between the check in get_object() and this write someone else may have saved the
        # record: the write goes ahead only if the row still has the version that was checked.
        version = self.checked_version
        if version is None or record.lock_unchanged_since(version):
            return
        current = self.get_queryset().filter(pk=record.pk).first()
        if current is None:
            raise NotFound
        self._refuse(current)

    def _refuse(self, current):
        self.etag = record_etag(current, self.get_serializer(current).data)
        raise PreconditionFailed(self.etag)
