"""Pages anyone can read without signing in."""

from django.urls import path

from waarborg.public import download, requests, views

app_name = "public"
urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/versies/", views.statement_versions, name="statement_versions"),
    path("privacy/versies/<int:pk>/", views.statement_version, name="statement_version"),
    path("contact/", views.contact, name="contact"),
    path("verwerkersovereenkomst/", views.processor_agreement, name="processor_agreement"),
    path("privacyverzoek/", requests.request_form, name="request"),
    path("privacyverzoek/ontvangen/", requests.request_received, name="request_received"),
    path("privacyverzoek/bevestigen/<str:link>/<str:token>/", requests.confirm, name="request_confirm"),
    path("privacyverzoek/identiteit/<str:link>/<str:token>/", requests.upload, name="request_upload"),
    path("privacyverzoek/download/<str:link>/<str:token>/", download.download, name="package_download"),
]
