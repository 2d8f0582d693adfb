"""The incident register in the back office (mounted at backoffice/incidenten/)."""

from django.urls import path

from waarborg.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.index, name="index"),
    path("registreren/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="action"),
]
