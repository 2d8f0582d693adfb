"""Django admin for configuration only: verified superusers, signed in through Waarborg's sign-in.

The admin's own login form would skip the second factor and the throttling, so it is replaced
by a redirect to /aanmelden/.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Waarborg — configuratie"
    site_title = "Waarborg"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_superuser and getattr(user, "is_verified", lambda: False)())

    def login(self, request, extra_context=None):
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, reverse("auth_web:login"))
