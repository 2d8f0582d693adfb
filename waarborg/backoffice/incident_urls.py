"""The incident register in the back office (mounted at backoffice/incidenten/, namespace incidents)."""

from django.urls import path

from waarborg.backoffice import incidents as views

app_name = "incidents"
urlpatterns = [
    path("", views.index, name="index"),
    path("registreren/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="action"),
]
