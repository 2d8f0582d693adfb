from django.apps import AppConfig


class EngagementConfig(AppConfig):
    """Cookies and consent on the website, first-party page-view counts, the newsletter."""

    name = "waarborg.engagement"
    label = "engagement"
    verbose_name = "Cookies, analytics and newsletter"
