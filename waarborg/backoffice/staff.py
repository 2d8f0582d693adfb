"""The administrator's staff page (scope "staff"): every staff account with its role, state and
authenticator; a new staff member gets an enrolment link shown once on the page; a role change,
a deactivation and a reset of the authenticator, each a POST with the services' checks. What the
page does is what `waarborg staff` does (waarborg.accounts.staff, waarborg.accounts.enrolment)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waarborg.accounts.enrolment import VALID_HOURS, staff_invite
from waarborg.accounts.staff import (
    staff_deactivate,
    staff_get,
    staff_list,
    staff_role_change,
    staff_second_factor_reset,
)
from waarborg.auth_web.decorators import staff_required
from waarborg.core import roles
from waarborg.core.errors import NotFound, ValidationError
from waarborg.web.nav import role_label


def _role_choices():
    return [(role, role_label(role)) for role in roles.STAFF_ROLES]


class StaffAddForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Work e-mail address"), max_length=254)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    role = forms.ChoiceField(label=gettext_lazy("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices()


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices()


def _page(request, *, add_form=None, invitation=None, status=200):
    rows = [
        {"account": account, "role": role_label(account.role), "form": StaffRoleForm(initial={"role": account.role})}
        for account in staff_list(actor=request.user)
    ]
    return render(
        request,
        "backoffice/staff.html",
        {
            "rows": rows,
            "add_form": add_form or StaffAddForm(),
            "invitation": invitation,
            "invitation_url": (
                request.build_absolute_uri(reverse("auth_web:welcome", args=[invitation.token])) if invitation else ""
            ),
            "valid_hours": VALID_HOURS,
            "crumbs": [{"label": gettext_lazy("Staff members"), "url": None}],
        },
        status=status,
    )


@never_cache
@staff_required("staff")
@require_http_methods(["GET", "POST"])
@transaction.atomic
def index(request):
    if request.method != "POST":
        return _page(request)
    form = StaffAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = staff_invite(
                actor=request.user, email=data["email"], role=data["role"], display_name=data["name"]
            )
        except ValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.text())
        else:
            # The link is shown on this answer only: never in a URL, a redirect or a message.
            return _page(request, invitation=invitation)
    return _page(request, add_form=form, status=400)


def _act(request, pk: int, act) -> object:
    try:
        account = staff_get(actor=request.user, pk=pk)
        text = act(account)
    except (ValidationError, NotFound) as exc:
        messages.error(request, exc.text())
    else:
        messages.success(request, text)
    return redirect(reverse("backoffice:staff"))


@never_cache
@staff_required("staff")
@require_POST
def role(request, pk: int):
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect(reverse("backoffice:staff"))

    def change(account):
        staff_role_change(actor=request.user, account=account, role=form.cleaned_data["role"])
        return _("The role is changed; the staff member signs in again.")

    return _act(request, pk, change)


@never_cache
@staff_required("staff")
@require_POST
def deactivate(request, pk: int):
    def end(account):
        done = staff_deactivate(actor=request.user, account=account)
        back = sum(n for name, n in done.items() if name != "sessions")
        return _("The account is deactivated: it is signed out, and %(count)s open item(s) went back to the queue.") % {
            "count": back
        }

    return _act(request, pk, end)


@never_cache
@staff_required("staff")
@require_POST
def reset_second_factor(request, pk: int):
    def reset(account):
        staff_second_factor_reset(actor=request.user, account=account)
        return _("The authenticator is removed: at the next sign-in the staff member sets up a new one.")

    return _act(request, pk, reset)
