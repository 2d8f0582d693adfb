"""The portal's pages, under /portaal/ (the landing itself is web:portal, at /portaal/)."""

from django.urls import path

from waarborg.portal import dunning, notice_agreement, payment, processor, requests, termination, views

app_name = "portal"
urlpatterns = [
    path("gegevens/", views.my_data, name="my_data"),
    path("gegevens/wijzigen/", views.contact_edit, name="contact_edit"),
    path("toestemmingen/", views.consents, name="consents"),
    path("toestemmingen/wijzigen/", views.consent_change, name="consent_change"),
    path("toestemmingen/brieven-per-email/", notice_agreement.change, name="notice_agreement"),
    path("diensten/", views.services, name="services"),
    path("diensten/opzeggen/", termination.terminate, name="terminate"),
    path("facturen/", views.invoices, name="invoices"),
    path("facturen/<int:pk>/", views.invoice_detail, name="invoice"),
    path("facturen/<int:pk>/bezwaar/", dunning.invoice_contest, name="invoice_contest"),
    path("incasso/bezwaar/<str:token>/", dunning.contest_link, name="dunning_contest_link"),
    path("incasso/persoon/<str:token>/", dunning.person_link, name="dunning_person_link"),
    path("privacyverzoeken/", requests.request_list, name="requests"),
    path("privacyverzoeken/nieuw/<slug:slug>/", requests.request_new, name="request_new"),
    path("privacyverzoeken/<int:pk>/", requests.request_detail, name="request"),
    path("privacyverzoeken/<int:pk>/pakket/", requests.request_package, name="request_package"),
    path("betaalgegevens/", payment.payment_methods, name="payment_methods"),
    path("verwerkersovereenkomst/", processor.processor_agreement, name="processor_agreement"),
]
