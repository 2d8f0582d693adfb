from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "waarborg.backoffice"
    label = "backoffice"
    verbose_name = "Back office"
