from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AuthWebConfig(AppConfig):
    name = "waarborg.auth_web"
    label = "auth_web"
    verbose_name = "Waarborg sign-in"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that only verified superusers may open (see admin_site.py)."""

    default = False
    default_site = "waarborg.auth_web.admin_site.SuperuserAdminSite"
