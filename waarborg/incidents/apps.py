from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "waarborg.incidents"
    label = "incidents"
    verbose_name = "Incidents and personal-data breaches"
