from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "waarborg.accounts"
    label = "accounts"
