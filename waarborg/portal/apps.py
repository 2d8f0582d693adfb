from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "waarborg.portal"
    label = "portal"
    verbose_name = "Customer portal"
