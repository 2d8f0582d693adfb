from django.urls import path

from waarborg.web import views

app_name = "web"
urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("backoffice/", views.backoffice, name="backoffice"),
    path("portaal/", views.portal, name="portal"),
]
