from waarborg.accounts.models import Account, EmailChangeLink, EnrolmentLink, LoginEvent
from waarborg.core.datamap import LOGIN_6M, STAFF, WHILE_CUSTOMER, Link, declare, pd

declare(
    Account,
    dates={"relationship_end": "contact__customer__ended_at", "employment_end": "deactivated_at"},
    subject="the person who signs in (a customer's contact person or a staff member)",
    anchor=True,
    fields={
        "email": pd(
            "D5",
            "user.authorization.login_name",
            "U2 U6 U12",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            identifier="email",
        ),
        "password": pd(
            "D5", "user.authorization.credentials", "U2 U12", "contract", WHILE_CUSTOMER, "delete", "excluded"
        ),
        "display_name": pd(
            "D8", "user.workplace.name", "U12", "legitimate_interest", STAFF, "delete", "provided", source="staff"
        ),
        "deactivated_at": pd(
            "D5", "user.account.end", "U2 U12", "legitimate_interest", STAFF, "delete", "observed", source="system"
        ),
        "last_login": pd(
            "D5",
            "user.behavior.login_time",
            "U2 U12",
            "legitimate_interest",
            WHILE_CUSTOMER,
            "delete",
            "observed",
            source="system",
        ),
    },
    not_personal=("role", "contact", "is_active", "is_superuser", "created_at", "groups", "user_permissions"),
    links=(Link("contact", "customers.Contact", "portal account of this contact person"),),
)

declare(
    LoginEvent,
    dates={"event": "at"},
    subject="the person who tried to sign in",
    fields={
        "ip_address": pd(
            "D6",
            "user.device.ip_address",
            "U2 U12",
            "legitimate_interest",
            LOGIN_6M,
            "delete",
            "observed",
            identifier="ip",
            source="system",
        ),
        "user_agent": pd(
            "D6", "user.device.browser", "U12", "legitimate_interest", LOGIN_6M, "delete", "observed", source="system"
        ),
        "at": pd(
            "D5",
            "user.behavior.login_time",
            "U12",
            "legitimate_interest",
            LOGIN_6M,
            "delete",
            "observed",
            source="system",
        ),
    },
    not_personal=("account", "succeeded", "method"),
    links=(Link("account", "accounts.Account", "sign-in of this account"),),
)

declare(
    EnrolmentLink,
    dates={"employment_end": "account__deactivated_at"},
    subject="the new staff member the link was made for",
    fields={
        "token_hash": pd(
            "D5",
            "user.authorization.credentials",
            "U12",
            "legitimate_interest",
            STAFF,
            "delete",
            "excluded",
            source="system",
        ),
        "created_at": pd(
            "D5", "user.account.enrolment", "U12", "legitimate_interest", STAFF, "delete", "excluded", source="system"
        ),
        "expires_at": pd(
            "D5", "user.account.enrolment", "U12", "legitimate_interest", STAFF, "delete", "excluded", source="system"
        ),
        "used_at": pd(
            "D5", "user.account.enrolment", "U12", "legitimate_interest", STAFF, "delete", "observed", source="system"
        ),
    },
    not_personal=("account",),
    links=(Link("account", "accounts.Account", "enrolment link of this staff account"),),
)

declare(
    EmailChangeLink,
    dates={"relationship_end": "account__contact__customer__ended_at"},
    subject="the customer's contact person who asked to sign in with another e-mail address",
    fields={
        "new_email": pd(
            "D5",
            "user.authorization.login_name",
            "U2",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "provided",
            identifier="email",
        ),
        "token_hash": pd(
            "D5",
            "user.authorization.credentials",
            "U2",
            "contract",
            WHILE_CUSTOMER,
            "delete",
            "excluded",
            source="system",
        ),
        "created_at": pd(
            "D5", "user.account.login_change", "U2", "contract", WHILE_CUSTOMER, "delete", "observed", source="system"
        ),
        "expires_at": pd(
            "D5", "user.account.login_change", "U2", "contract", WHILE_CUSTOMER, "delete", "excluded", source="system"
        ),
        "used_at": pd(
            "D5", "user.account.login_change", "U2", "contract", WHILE_CUSTOMER, "delete", "observed", source="system"
        ),
    },
    not_personal=("account",),
    links=(Link("account", "accounts.Account", "e-mail change of this account"),),
)
