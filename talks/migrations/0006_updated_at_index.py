import django.utils.timezone
from django.db import migrations, models

TIMESTAMPED = [
    "announcement",
    "conference",
    "day",
    "organization",
    "room",
    "speaker",
    "talk",
    "track",
]


def add_index(model_name):
    """``updated_at`` gets ``db_index=True``; the index is created with plain SQL because
    Django's AlterField on SQLite rebuilds the whole table, which would drop the search
    triggers on talks and speakers (0005)."""
    table = f"talks_{model_name}"
    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.AlterField(
                model_name=model_name,
                name="updated_at",
                field=models.DateTimeField(
                    db_index=True, default=django.utils.timezone.now, editable=False
                ),
            )
        ],
        database_operations=[
            migrations.RunSQL(
                f'CREATE INDEX "{table}_updated_at" ON "{table}" ("updated_at")',
                f'DROP INDEX "{table}_updated_at"',
            )
        ],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0005_catalog_search"),
    ]

    operations = [add_index(model_name) for model_name in TIMESTAMPED]
