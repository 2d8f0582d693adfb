"""The head names the audit key of the chain's last segment (key rotation starts a new segment)."""

from django.conf import settings
from django.db import migrations, models


def name_the_current_key(apps, schema_editor):
    from waarborg.core.crypto import key_id

    apps.get_model("audit", "AuditHead").objects.filter(key_id="").update(key_id=key_id(settings.WAARBORG_AUDIT_KEY))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(name_the_current_key, migrations.RunPython.noop),
    ]
