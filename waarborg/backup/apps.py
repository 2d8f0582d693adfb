from django.apps import AppConfig


class BackupConfig(AppConfig):
    """Encrypted backups that keep erasures, and the rotation of Waarborg's keys."""

    name = "waarborg.backup"
    label = "backup"
    verbose_name = "Backups and key rotation"

    def ready(self):
        # Loaded once the models are (they import the restore, which uses them): the system checks register.
        from waarborg.backup import checks  # noqa: F401
