from django.apps import AppConfig


class BackupConfig(AppConfig):
    """Encrypted backups that keep erasures, and the rotation of Waarborg's keys."""

    name = "waarborg.backup"
    label = "backup"
    verbose_name = "Backups and key rotation"

    def ready(self):
        from waarborg.backup import checks  # noqa: F401  (system checks)
