from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "waarborg.web"
    label = "web"
