from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """The retention sweep: every rule of the personal-data map, applied daily."""

    name = "waarborg.retention"
    label = "retention"
    verbose_name = "Retention"
