from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "waarborg.correspondence"
    label = "correspondence"
