from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "waarborg.register"
    label = "register"
