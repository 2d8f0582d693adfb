"""Guards for views: `staff_required(scope=None)` and `customer_required` (and mixins).

Both send an anonymous visitor to the sign-in page and answer 403 to a signed-in account of the
wrong kind. `staff_required` also demands a verified second factor and, with a scope from
waarborg.core.roles, that the role may read that scope (need-to-know, B2).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import reverse

from waarborg.auth_web.totp import confirmed_device
from waarborg.core import roles


def _to_sign_in(request):
    return redirect_to_login(request.get_full_path(), reverse("auth_web:login"))


def _verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def staff_denial(request, scope: str | None = None):
    """None if the request may pass, else the response (or raises Django's PermissionDenied: a 403)."""
    user = request.user
    if not user.is_authenticated:
        return _to_sign_in(request)
    if not user.is_staff_role:
        raise DjangoPermissionDenied("staff only")
    if not _verified(user):
        return _to_sign_in(request)
    if scope is not None and not roles.can(user, scope):
        raise DjangoPermissionDenied(f"role may not read {scope}")
    return None


def customer_denial(request):
    user = request.user
    if not user.is_authenticated:
        return _to_sign_in(request)
    if user.role != roles.CUSTOMER:
        raise DjangoPermissionDenied("customers only")
    if not _verified(user) and confirmed_device(user) is not None:
        return _to_sign_in(request)
    return None


def staff_required(scope=None):
    """`@staff_required()`, `@staff_required("invoices")`, or bare `@staff_required`."""
    if callable(scope):
        return staff_required()(scope)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            denial = staff_denial(request, scope)
            if denial is not None:
                return denial
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def customer_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        denial = customer_denial(request)
        if denial is not None:
            return denial
        return view(request, *args, **kwargs)

    return wrapped


class StaffRequiredMixin:
    """For class-based views: set `scope = "invoices"` (or leave None for any staff role)."""

    scope: str | None = None

    def dispatch(self, request, *args, **kwargs):
        denial = staff_denial(request, self.scope)
        if denial is not None:
            return denial
        return super().dispatch(request, *args, **kwargs)


class CustomerRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        denial = customer_denial(request)
        if denial is not None:
            return denial
        return super().dispatch(request, *args, **kwargs)
