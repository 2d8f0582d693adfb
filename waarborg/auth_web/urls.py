from django.urls import path

from waarborg.auth_web import email_change, views, welcome

app_name = "auth_web"
urlpatterns = [
    path("aanmelden/", views.sign_in, name="login"),
    path("aanmelden/code/", views.verify, name="verify"),
    path("aanmelden/instellen/", views.enrol, name="enrol"),
    path("aanmelden/welkom/<str:token>/", welcome.welcome, name="welcome"),
    path("afmelden/", views.sign_out, name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("portaal/beveiliging/", views.security, name="security"),
    path("portaal/beveiliging/email/", email_change.request_change, name="email_change"),
    path("aanmelden/email-bevestigen/<str:token>/", email_change.confirm, name="email_confirm"),
    path("portaal/beveiliging/instellen/", views.security_enrol, name="security_enrol"),
]
