from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("waarborg.auth_web.urls")),
    path("", include("waarborg.web.urls")),
    path("portaal/", include("waarborg.portal.urls")),
    path("", include("waarborg.public.urls")),
    path("", include("waarborg.public.incident_urls")),
    path("", include("waarborg.engagement.urls")),
    path("backoffice/incidenten/", include("waarborg.backoffice.incident_urls")),
    path("backoffice/", include("waarborg.backoffice.urls")),
    path("api/v1/", include("waarborg.api.urls")),
    path("", include("waarborg.operations.urls")),  # /healthz, /metrics
]
