from django.urls import path

from waarborg.backoffice import lists, requests, views

# Mounted at "backoffice/"; the landing page itself is web:backoffice. The URL names of the
# sections are the scopes of waarborg.core.roles, which links them in the navigation.
app_name = "backoffice"
urlpatterns = [
    path("klanten/", views.customer_search, name="customers"),
    path("klanten/<int:pk>/", views.customer_detail, name="customer"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/controleren/", views.audit_verify_now, name="audit_verify"),
    path("verzoeken/", requests.queue, name="requests"),
    path("verzoeken/registreren/", requests.register, name="request_register"),
    path("verzoeken/maandoverzicht/", requests.overview, name="request_overview"),
    path("verzoeken/<int:pk>/", requests.detail, name="request"),
    path("verzoeken/<int:pk>/<slug:action>/", requests.act, name="request_action"),
    path("verzoeken/<int:pk>/<slug:action>/<int:item>/", requests.act, name="request_item_action"),
    # One list per scope of the role; the URL name is the scope, so the navigation links it.
    *[path(f"lijst/{scope.replace('_', '-')}/", view, name=scope) for scope, view in lists.views.items()],
]
