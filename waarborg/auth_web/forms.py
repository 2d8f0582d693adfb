import logging

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waarborg.customers.selectors import contact_without_account
from waarborg.web.mail import send_template_mail

log = logging.getLogger(__name__)


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        help_text=_("Six digits; a new code appears every 30 seconds."),
        error_messages={"invalid": _("Enter the six digits.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, *args, **kwargs):
        """As Django's (a link for an account with this address), and — for a customer's contact
        person who has no portal account — a mail saying how to get one instead of silence. The
        page's answer is the same in every case, so it tells nobody whether an address is known."""
        super().save(*args, **kwargs)
        email = self.cleaned_data["email"]
        if any(True for _user in self.get_users(email)):
            return
        if not contact_without_account(email):
            return
        subject = gettext("You have no account for the customer portal yet")
        try:
            send_template_mail(subject, "auth_web/mail/password_reset_no_account.txt", email)
        except Exception:  # noqa: BLE001 (as Django's own reset mail: the page answers the same either way)
            log.warning("password reset: the mail to a contact without an account could not be sent")
