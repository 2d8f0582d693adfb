"""Map entries for the framework's own models."""

from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session

from waarborg.core.datamap import ADMIN_LOG_1Y, SESSION_2W, Link, declare, exempt, pd

exempt("auth.Group", why="names of staff permission groups")
exempt("auth.Permission", why="names of permissions")
exempt("contenttypes.ContentType", why="names of models")

declare(
    Session,
    dates={"event": "expire_date"},
    subject="the signed-in person (the session data names their account id)",
    fields={
        "session_data": pd(
            "D5",
            "user.authorization.session",
            "U2 U7 U12",
            "contract",
            SESSION_2W,
            "delete",
            "excluded",
            source="system",
            label=("Sessiegegevens", "Session data"),
        ),
    },
    not_personal=("session_key", "expire_date"),
    anchor=True,  # session data is opaque: the account link lives inside it, so it stands alone
    label=("Sessie", "Session"),
    context=("expire_date",),
    groups=("customers", "staff"),
)

declare(
    LogEntry,
    dates={"event": "action_time"},
    subject="the superuser who changed configuration, and the object changed",
    fields={
        "object_repr": pd(
            "D8",
            "user.workplace.admin_action",
            "U12 U14",
            "legitimate_interest",
            ADMIN_LOG_1Y,
            "delete",
            "excluded",
            source="system",
            label=("Gewijzigd object", "Object changed"),
        ),
        "change_message": pd(
            "D8",
            "user.workplace.admin_action",
            "U12 U14",
            "legitimate_interest",
            ADMIN_LOG_1Y,
            "delete",
            "excluded",
            source="system",
            label=("Omschrijving van de wijziging", "Description of the change"),
        ),
    },
    not_personal=("action_time", "user", "content_type", "object_id", "action_flag"),
    links=(Link("user", "accounts.Account", "action by this staff account", up=False),),
    label=("Beheerhandeling", "Administrative action"),
    context={"action_time": ("Tijdstip", "Time"), "action_flag": ("Soort handeling", "Kind of action")},
    groups=("staff",),
)
