from django.apps import AppConfig


class DunningConfig(AppConfig):
    name = "waarborg.dunning"
    label = "dunning"
    verbose_name = "Dunning"
