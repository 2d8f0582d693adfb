"""Map entries for the second factor (django-otp's TOTP device), declared here for otp_totp."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.core.datamap import WHILE_CUSTOMER, Link, declare, pd


def _second_factor(purposes: str = "U2 U12"):
    return pd(
        "D5",
        "user.authorization.second_factor",
        purposes,
        "contract",
        WHILE_CUSTOMER,
        "delete",
        "excluded",
        source="system",
    )


declare(
    TOTPDevice,
    dates={"relationship_end": "user__contact__customer__ended_at"},
    subject="the person whose authenticator app holds this secret",
    fields={
        # The shared secret: whoever has it can make codes. Shown only during enrolment.
        "key": _second_factor(),
        "name": _second_factor(),
        # When and how the device was used: sign-in behaviour.
        "created_at": _second_factor(),
        "last_used_at": _second_factor(),
        "last_t": _second_factor(),
        "drift": _second_factor(),
        "throttling_failure_timestamp": _second_factor(),
        "throttling_failure_count": _second_factor(),
    },
    not_personal=("user", "confirmed", "step", "t0", "digits", "tolerance"),
    links=(Link("user", "accounts.Account", "second factor of this account"),),
)
