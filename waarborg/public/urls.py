"""Pages anyone can read without signing in."""

from django.urls import path

from waarborg.public import views

app_name = "public"
urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
]
