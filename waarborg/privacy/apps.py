from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "waarborg.privacy"
    label = "privacy"
    verbose_name = "Privacy requests"
