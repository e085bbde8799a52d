"""Backups: the whole catalog out and into an empty database, every table equal (issue 9,
point 7). Both ways the README documents: ``export_catalog --all`` with ``load_catalog``, and
Django's ``dumpdata --natural-foreign --natural-primary`` with ``loaddata``."""

import io

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from talks.models import Conference, Organization, Speaker, Talk
from tests.builders import make_speaker
from tests.shared_files import shared_path


def catalog_tables():
    """Every catalog table as its rows by natural key (ids differ after a restore)."""
    tables = {}
    for model in apps.get_app_config("talks").catalog_models():
        rows = serializers.serialize(
            "python",
            model._default_manager.all(),  # unpublished talks too
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        tables[model._meta.label] = sorted(repr(row["fields"]) for row in rows)
    return tables


def empty_the_catalog():
    Conference.objects.all().delete()
    Speaker.objects.all().delete()
    Organization.objects.all().delete()
    assert not any(table for table in catalog_tables().values())


@pytest.fixture
def catalog(dockercon):
    path = shared_path("samples", "schedules", "voc-frab-camp2019.json")
    call_command("import_schedule", str(path), stdout=io.StringIO())
    make_speaker("Grace Hopper", bio="Speaks at no conference of the catalog yet.")
    Talk.objects.filter(conference__slug="dockercon-2017", kind="keynote").update(published=False)
    return catalog_tables()


def test_export_catalog_all_restores_every_table(catalog, tmp_path):
    backup = tmp_path / "backup.yaml"
    call_command("export_catalog", "--all", "-o", str(backup), stderr=io.StringIO())
    empty_the_catalog()

    call_command("load_catalog", str(backup), stdout=io.StringIO())

    assert catalog_tables() == catalog
    assert Speaker.objects.filter(name="Grace Hopper").exists()
    assert Talk.everything.filter(kind="keynote", published=False).count() == 2


def test_dumpdata_with_natural_keys_restores_every_table(catalog, tmp_path):
    # YAML keeps timestamps to the microsecond; Django's JSON rounds them to milliseconds.
    backup = tmp_path / "backup.yaml"
    options = ["--natural-foreign", "--natural-primary", "--format", "yaml", "-o", str(backup)]
    call_command("dumpdata", "talks", "--exclude", "talks.ChangeMark", *options)
    empty_the_catalog()

    call_command("loaddata", str(backup), verbosity=0)

    assert catalog_tables() == catalog


def test_export_catalog_needs_a_slug_or_all(db):
    with pytest.raises(Exception, match="Name one conference SLUG, or give --all"):
        call_command("export_catalog", stdout=io.StringIO())
