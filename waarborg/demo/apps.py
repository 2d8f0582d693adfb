from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "waarborg.demo"
    label = "demo"
