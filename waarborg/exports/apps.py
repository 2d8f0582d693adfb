from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Access (art. 15) and portability (art. 20) packages, built from the personal-data map."""

    name = "waarborg.exports"
    label = "exports"
