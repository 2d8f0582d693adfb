"""The cookie policy and choice, and the newsletter's unsubscribe link; no sign-in needed."""

from django.urls import path

from waarborg.engagement import views

app_name = "engagement"
urlpatterns = [
    path("cookies/", views.cookie_policy, name="cookies"),
    path("cookies/keuze/", views.cookie_choice_view, name="choice"),
    path("nieuwsbrief/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
