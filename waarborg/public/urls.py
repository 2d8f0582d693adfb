"""Pages anyone can read without signing in."""

from django.urls import path

from waarborg.public import download, views

app_name = "public"
urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
    path("privacyverzoek/download/<str:link>/<str:token>/", download.download, name="package_download"),
]
