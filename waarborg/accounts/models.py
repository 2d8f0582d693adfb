from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models

from waarborg.core import roles
from waarborg.core.identifiers import normalise_email


class AccountManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        account = self.model(email=normalise_email(email), **extra)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", roles.ADMIN)
        extra.update(is_superuser=True)
        return self.create_user(email, password, **extra)


class Account(AbstractBaseUser, PermissionsMixin):
    """A login: a staff member (with a role) or a customer's contact person in the portal.

    Only the password hash is stored (AbstractBaseUser); never a readable secret.
    """

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=120, blank=True)  # staff only; customers' names live on Contact
    role = models.CharField(max_length=16, choices=[(k, v[1]) for k, v in roles.ROLES.items()], default=roles.CUSTOMER)
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "account"

    def __str__(self):
        return f"Account #{self.pk}"

    @property
    def is_staff(self) -> bool:
        # Django admin access: only administrators configuring the system.
        return self.role == roles.ADMIN and self.is_active

    @property
    def is_staff_role(self) -> bool:
        return self.role in roles.STAFF_ROLES

    @property
    def customer_id(self):
        return self.contact.customer_id if self.contact_id else None


class LoginEvent(models.Model):
    """A sign-in attempt, kept for security (U12) for a limited time."""

    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="login_events")
    at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(db_index=True)
    user_agent = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField()
    method = models.CharField(max_length=16, default="password")

    def __str__(self):
        return f"LoginEvent #{self.pk}"


class EnrolmentLink(models.Model):
    """A one-time link for a new staff member: choose a password, then set up the authenticator.

    Only the SHA-256 hash of the link's random token is stored; the link itself is shown once,
    by `waarborg staff add`. It can be used once, within its validity.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"EnrolmentLink #{self.pk}"


class EmailChangeLink(models.Model):
    """A customer's request to sign in with another e-mail address, waiting for the new address
    to be confirmed through a one-time link sent to it (waarborg.accounts.email_change).

    Only the keyed hash of the link's token is stored; the new address is kept until the link is
    used, expires or is replaced, and then erased from this row."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="email_change_links")
    new_email = models.EmailField(blank=True, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"EmailChangeLink #{self.pk}"
