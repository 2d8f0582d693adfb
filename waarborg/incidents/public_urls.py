"""The public report form (mounted at the site's root)."""

from django.urls import path

from waarborg.incidents import public_views

app_name = "incidents_public"
urlpatterns = [
    path("misbruik-melden/", public_views.report, name="report"),
    path("misbruik-melden/ontvangen/", public_views.received, name="received"),
]
