"""One mail from a template, for the screens that send one (an invitation, an e-mail change, a
password-reset answer): the controller's name in the context, sent from the default address."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def send_template_mail(subject: str, template: str, to: str, context: dict | None = None) -> None:
    """Render `template` (in the active language) and send it to `to`; raises when it cannot be sent."""
    controller = settings.WAARBORG_CONTROLLER
    body = render_to_string(
        template,
        {
            "controller_name": controller["name"],
            "controller_email": controller.get("email", ""),
            "controller_phone": controller.get("phone", ""),
            **(context or {}),
        },
    )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]).send(fail_silently=False)
