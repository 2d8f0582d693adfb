from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "waarborg.public"
    label = "public"
    verbose_name = "Public pages"
