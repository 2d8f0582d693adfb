from django.urls import path

from waarborg.backoffice import (
    contacts,
    dunning,
    dunning_post,
    invoices,
    lists,
    notice_agreement,
    operations,
    requests,
    staff,
    termination,
    views,
)

# Mounted at "backoffice/"; the landing page itself is web:backoffice. The URL names of the
# sections are the scopes of waarborg.core.roles, which links them in the navigation.
app_name = "backoffice"
urlpatterns = [
    path("klanten/", views.customer_search, name="customers"),
    path("klanten/<int:pk>/", views.customer_detail, name="customer"),
    path("klanten/<int:pk>/opzeggen/", termination.terminate, name="customer_terminate"),
    path("klanten/<int:pk>/contactpersonen/<int:contact_pk>/wijzigen/", contacts.edit, name="contact_edit"),
    path("klanten/<int:pk>/contactpersonen/<int:contact_pk>/uitnodigen/", contacts.invite, name="contact_invite"),
    path("klanten/<int:pk>/brieven-per-email/", notice_agreement.record, name="notice_agreement_record"),
    path("klanten/<int:pk>/brieven-per-email/intrekken/", notice_agreement.withdraw, name="notice_agreement_withdraw"),
    path("facturen/zoeken/", invoices.find, name="invoice_find"),
    path("facturen/<int:pk>/", invoices.detail, name="invoice"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/controleren/", views.audit_verify_now, name="audit_verify"),
    path("verzoeken/", requests.queue, name="requests"),
    path("verzoeken/registreren/", requests.register, name="request_register"),
    path("verzoeken/maandoverzicht/", requests.overview, name="request_overview"),
    path("verzoeken/<int:pk>/", requests.detail, name="request"),
    path("verzoeken/<int:pk>/<slug:action>/", requests.act, name="request_action"),
    path("verzoeken/<int:pk>/<slug:action>/<int:item>/", requests.act, name="request_item_action"),
    path("incasso/", dunning.board, name="dunning"),
    path("incasso/dossiers/<int:pk>/", dunning.case_detail, name="dunning_case"),
    path("incasso/dossiers/<int:pk>/bezwaren/<int:contest>/", dunning.contest_decide, name="dunning_contest"),
    path("incasso/dossiers/<int:pk>/goedkeuringen/<int:approval>/", dunning.approval_decide, name="dunning_approval"),
    path("incasso/dossiers/<int:pk>/deurwaardersdossier/<int:file>/", dunning.case_file, name="dunning_case_file"),
    path("incasso/dossiers/<int:pk>/brieven/<int:notice>/", dunning_post.letter, name="dunning_letter"),
    path(
        "incasso/dossiers/<int:pk>/brieven/<int:notice>/verzonden/",
        dunning_post.letter_posted,
        name="dunning_letter_posted",
    ),
    path("incasso/uitgezonderd/<int:hold>/vrijgeven/", dunning.hold_release, name="dunning_hold_release"),
    path("incasso/ladders/", dunning.ladders, name="dunning_ladders"),
    path("incasso/ladders/<slug:key>/", dunning.ladder_edit, name="dunning_ladder"),
    path("beheer/runs/", operations.runs, name="operations"),
    path("beheer/medewerkers/", staff.index, name="staff"),
    path("beheer/medewerkers/<int:pk>/rol/", staff.role, name="staff_role"),
    path("beheer/medewerkers/<int:pk>/deactiveren/", staff.deactivate, name="staff_deactivate"),
    path(
        "beheer/medewerkers/<int:pk>/authenticator-resetten/",
        staff.reset_second_factor,
        name="staff_reset_second_factor",
    ),
    # One list per scope of the role; the URL name is the scope, so the navigation links it.
    *[path(f"lijst/{scope.replace('_', '-')}/", view, name=scope) for scope, view in lists.views.items()],
]
