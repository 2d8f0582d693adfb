from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "waarborg.catalogue"
    label = "catalogue"
