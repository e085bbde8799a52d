"""knox's own migrations create ``knox_authtoken`` even though ``KNOX_TOKEN_MODEL`` swaps its
model for ``access.ApiToken``. Nothing uses the table, and on PostgreSQL it breaks the flush
of transactional tests (it references ``auth_user`` but is not a model Django truncates), so
it is dropped once knox's migrations have run."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", reverse_sql=migrations.RunSQL.noop)
    ]
