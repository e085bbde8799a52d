"""Catalog YAML: Django's serialization format with natural keys, loaded with full validation.

``load_catalog`` reads every file, validates each record with the model's ``full_clean()``
right before writing it, and runs the whole load in one transaction: the first bad record
raises ``CatalogError`` (naming the file, the record and the reason) and nothing is kept.
Records are matched to existing rows by their natural key, so loading a file twice updates.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from talks import files
from talks.freshness import catalog_changes
from talks.models import Timestamped

CATALOG_APP = "talks"


class CatalogError(Exception):
    def __init__(self, path, reason, index=None, label=None):
        self.path, self.reason, self.index, self.label = path, reason, index, label
        where = str(path)
        if index is not None:
            where += f": record {index}"
            if label:
                where += f" ({label})"
        super().__init__(f"{where}: {reason}")


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def total_created(self):
        return sum(self.created.values())

    @property
    def total_updated(self):
        return sum(self.updated.values())

    def lines(self):
        for model in sorted(set(self.created) | set(self.updated)):
            yield f"{model}: {self.created[model]} created, {self.updated[model]} updated"
        yield f"total: {self.total_created} created, {self.total_updated} updated"


def read_records(path, limits=files.DEFAULT_LIMITS):
    """The records of one catalog file, checked for shape but not yet for content."""
    path = Path(path)
    try:
        raw = files.read_bytes(path, limits.bytes)
        # Decoded only to refuse other encodings by name: the parser reads the bytes, so the
        # file is not held as text too while it is parsed.
        raw.decode("utf-8-sig")
    except files.FileRefused as exc:
        raise CatalogError(path, str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise CatalogError(path, f"not UTF-8 text: {exc}") from exc
    try:
        data = files.load_yaml(raw, limits.values)
    except files.FileRefused as exc:
        raise CatalogError(path, str(exc)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise CatalogError(path, f"malformed YAML{where}: {problem}") from exc
    except (ValueError, OverflowError) as exc:  # e.g. a date like 2024-02-30
        raise CatalogError(path, f"a value in the YAML is impossible: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise CatalogError(path, "expected a list of records, each with 'model' and 'fields'")
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict) or not isinstance(record.get("model"), str):
            raise CatalogError(path, "a record must be a mapping with a 'model' key", index)
        if "pk" in record:
            raise CatalogError(
                path,
                "records are matched by natural key; remove 'pk'",
                index,
                record["model"],
            )
        if not isinstance(record.get("fields", {}), dict):
            raise CatalogError(path, "'fields' must be a mapping", index, record["model"])
    return data


def _check_fields_and_references(path, index, record):
    """Name an unknown model or field, or a reference to a missing record, precisely."""
    try:
        model = apps.get_model(record["model"])
    except (LookupError, ValueError) as exc:
        raise CatalogError(path, f"unknown model “{record['model']}”", index) from exc
    if model._meta.app_label != CATALOG_APP:
        # A curator's file must not reach users, tokens or sessions.
        raise CatalogError(
            path, f"“{record['model']}” is not a catalog model (only {CATALOG_APP}.*)", index
        )
    for name, value in record.get("fields", {}).items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise CatalogError(
                path,
                f"unknown field “{name}” for {model._meta.label_lower}",
                index,
                record["model"],
            ) from exc
        if value is None:
            continue
        if not model_field.is_relation:
            if isinstance(value, list | dict):
                raise CatalogError(
                    path,
                    f"{name}: expected a single value, found {_shape(value)}",
                    index,
                    record["model"],
                )
            try:
                model_field.to_python(value)
            except ValidationError as exc:
                reason = " ".join(exc.messages)
                raise CatalogError(path, f"{name}: {reason}", index, record["model"]) from exc
            continue
        if model_field.many_to_many and not isinstance(value, list):
            raise CatalogError(
                path, f"{name}: expected a list, found {_shape(value)}", index, record["model"]
            )
        for key in value if model_field.many_to_many else [value]:
            if isinstance(key, dict) or (isinstance(key, list) and not key):
                raise CatalogError(
                    path,
                    f"{name}: expected a natural key (a list of values), found {_shape(key)}",
                    index,
                    record["model"],
                )
            if not isinstance(key, list):
                continue  # a plain id: the deserializer checks it
            manager = model_field.related_model._default_manager
            try:
                manager.get_by_natural_key(*key)
            except (ObjectDoesNotExist, TypeError) as exc:
                target = model_field.related_model._meta.verbose_name
                raise CatalogError(
                    path,
                    f"{name}: no {target} with natural key {key!r} exists "
                    "(define it earlier in the files or load it first)",
                    index,
                    record["model"],
                ) from exc


def _shape(value):
    return (
        "a list"
        if isinstance(value, list)
        else "a mapping"
        if isinstance(value, dict)
        else "a value"
    )


def _deserialize(path, index, record):
    _check_fields_and_references(path, index, record)
    try:
        (deserialized,) = serializers.deserialize("python", [record])
    except (DeserializationError, ValidationError, ValueError, TypeError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise CatalogError(path, reason, index, record["model"]) from exc
    return deserialized


def _identity(instance):
    try:
        return "/".join(str(part) for part in instance.natural_key())
    except Exception:
        return ""


def _validation_reason(exc):
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _settle_timestamps(deserialized, given):
    """An update keeps the row's creation time, and its change time when nothing changed, so a
    reload of the same file leaves the catalog exactly as it was (feeds included)."""
    instance = deserialized.object
    if not isinstance(instance, Timestamped) or instance._state.adding:
        return
    stored = type(instance)._base_manager.filter(pk=instance.pk).values().get()
    instance.fill_derived()  # as save() will: a reload of the same row changes nothing
    stamps = {"created_at", "updated_at"}
    changed = any(
        getattr(instance, f.attname) != stored[f.attname]
        for f in instance._meta.concrete_fields
        if f.attname not in stamps
    ) or any(
        set(pks) != set(getattr(instance, name).values_list("pk", flat=True))
        for name, pks in (deserialized.m2m_data or {}).items()
    )
    if "created_at" not in given:
        instance.created_at = stored["created_at"]
    if "updated_at" not in given:
        instance.updated_at = timezone.now() if changed else stored["updated_at"]


def load_catalog(paths, limits=files.DEFAULT_LIMITS):
    """Load catalog YAML files in one transaction; returns a ``LoadReport``."""
    report = LoadReport()
    with transaction.atomic(), catalog_changes():
        for path in paths:
            for index, record in enumerate(read_records(path, limits), start=1):
                try:
                    existed = _load_record(path, index, record)
                # A record without its parent, or a value no field can hold (.inf, a number
                # where a date belongs), fails in Django before validation can name it.
                except (ObjectDoesNotExist, OverflowError, TypeError, ValueError, KeyError) as exc:
                    reason = str(exc) or type(exc).__name__
                    raise CatalogError(
                        path, f"invalid record: {reason}", index, record["model"]
                    ) from exc
                (report.updated if existed else report.created)[record["model"].lower()] += 1
    return report


def _load_record(path, index, record):
    """Validate and write one record; returns whether it matched an existing row."""
    deserialized = _deserialize(path, index, record)
    instance = deserialized.object
    label = f"{record['model']} {_identity(instance)}".strip()
    existed = instance.pk is not None
    # The deserializer found the row by natural key: validate it as an update.
    instance._state.adding = not existed
    _settle_timestamps(deserialized, record.get("fields", {}))
    try:
        instance.full_clean()
        with transaction.atomic():
            deserialized.save()
    except ValidationError as exc:
        raise CatalogError(path, _validation_reason(exc), index, label) from exc
    except DatabaseError as exc:
        raise CatalogError(path, f"database refused it: {exc}", index, label) from exc
    return existed
