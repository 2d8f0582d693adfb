"""Map entries for the second factor (django-otp's TOTP device), declared here for otp_totp."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from waarborg.core.datamap import WHILE_CUSTOMER, Link, declare, pd


def _second_factor(purposes: str = "U2 U12", *, label: tuple[str, str]):
    return pd(
        "D5",
        "user.authorization.second_factor",
        purposes,
        "contract",
        WHILE_CUSTOMER,
        "delete",
        "excluded",
        source="system",
        label=label,
    )


declare(
    TOTPDevice,
    dates={"relationship_end": "user__contact__customer__ended_at"},
    subject="the person whose authenticator app holds this secret",
    fields={
        # The shared secret: whoever has it can make codes. Shown only during enrolment.
        "key": _second_factor(label=("Geheime sleutel", "Secret key")),
        "name": _second_factor(label=("Naam van het apparaat", "Device name")),
        # When and how the device was used: sign-in behaviour.
        "created_at": _second_factor(label=("Ingesteld op", "Set up on")),
        "last_used_at": _second_factor(label=("Laatst gebruikt op", "Last used on")),
        "last_t": _second_factor(label=("Laatst gebruikte tijdstap", "Last time step used")),
        "drift": _second_factor(label=("Klokafwijking", "Clock drift")),
        "throttling_failure_timestamp": _second_factor(label=("Laatste mislukte code op", "Last failed code on")),
        "throttling_failure_count": _second_factor(label=("Aantal mislukte codes", "Number of failed codes")),
    },
    not_personal=("user", "confirmed", "step", "t0", "digits", "tolerance"),
    links=(Link("user", "accounts.Account", "second factor of this account"),),
    label=("Tweede factor (authenticator-app)", "Second factor (authenticator app)"),
    context=("confirmed",),
    groups=("customers", "staff"),
)
