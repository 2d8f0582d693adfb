from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "waarborg.consents"
    label = "consents"
