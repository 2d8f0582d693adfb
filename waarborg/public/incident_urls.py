"""The public report form "Misbruik melden" (mounted at the site's root, namespace incidents_public)."""

from django.urls import path

from waarborg.public import incidents

app_name = "incidents_public"
urlpatterns = [
    path("misbruik-melden/", incidents.report, name="report"),
    path("misbruik-melden/ontvangen/", incidents.received, name="received"),
]
