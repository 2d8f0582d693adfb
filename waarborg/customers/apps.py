from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "waarborg.customers"
    label = "customers"
