"""Form checks the privacy-request screens share (portal, public form, back office)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waarborg.core.errors import ValidationError
from waarborg.core.identifiers import normalise_email
from waarborg.privacy.delivery import check_push_url


def clean_destination(value: str) -> str:
    """Where a portability package goes besides the subject: an organisation's e-mail address,
    or an https:// address it is delivered to (the privacy app's own rule, `check_push_url`)."""
    text = (value or "").strip()
    if not text:
        return ""
    if "://" in text:
        try:
            return check_push_url(text)
        except ValidationError:
            raise forms.ValidationError(
                _("Use a secure web address that starts with https://, without a user name or password."),
                code="insecure",
            ) from None
    try:
        return normalise_email(text)
    except ValidationError:
        raise forms.ValidationError(
            _("Give the organisation's e-mail address, or a web address that starts with https://."), code="invalid"
        ) from None
