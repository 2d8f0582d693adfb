from django.urls import path

from waarborg.portal import views as portal_views
from waarborg.web import views

app_name = "web"
urlpatterns = [
    path("", views.start, name="start"),
    path("backoffice/", views.backoffice, name="backoffice"),
    path("portaal/", portal_views.landing, name="portal"),  # the portal's landing, in its own app
]
