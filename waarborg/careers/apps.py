from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "waarborg.careers"
    label = "careers"
