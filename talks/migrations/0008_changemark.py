import random

from django.db import migrations, models


def start_an_epoch(apps, schema_editor):
    # A database migrated anew (a restore into an empty one, say) has an epoch of its own, so
    # no copy stored from another database's state is ever taken for current (talks.freshness).
    ChangeMark = apps.get_model("talks", "ChangeMark")
    ChangeMark.objects.using(schema_editor.connection.alias).update_or_create(
        scope="epoch",
        defaults={"serial": random.SystemRandom().randrange(1, 2**62), "changed_ms": 0},
    )


class Migration(migrations.Migration):
    dependencies = [("talks", "0007_sqlite_name_trigrams")]

    operations = [
        migrations.CreateModel(
            name="ChangeMark",
            fields=[
                ("scope", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("serial", models.BigIntegerField()),
                ("changed_ms", models.BigIntegerField()),
                ("previous", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "change mark"},
        ),
        migrations.RunPython(start_an_epoch, migrations.RunPython.noop),
    ]
