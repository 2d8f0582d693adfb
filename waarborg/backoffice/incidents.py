"""The incident register in the back office (B6, X6): the privacy officer's screens.

- the list (`incidents:index`) with the 72-hour clock (hours left, overdue) and filters;
- registering an incident learnt of by phone, e-mail or monitoring;
- one page per incident with its timeline and a form for each action: triage a report (abuse,
  a security incident or a personal-data breach), assess a breach, notify the authority, inform the people affected (or record why not), close.

Only the privacy officer (scope "incidents") may; every other role gets a 403 and nothing
changes. The views validate and call the services; a refusal re-renders the page with the form
and its error, with nothing changed. Every opening of an incident's page is recorded.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice import incident_forms as f
from waarborg.core import clock
from waarborg.core.errors import ValidationError
from waarborg.incidents.handling import incident_assess, incident_close
from waarborg.incidents.intake import incident_register
from waarborg.incidents.models import NOTIFY_HOURS, TRIAGE_HOURS, Incident
from waarborg.incidents.notifications import (
    incident_inform_subjects,
    incident_notify_authority,
    incident_tell_customers,
)
from waarborg.incidents.selectors import (
    VIEW_ACTION,
    clock_row,
    incident_get_for,
    incident_list_for,
    incident_qs_for,
    timeline_for,
)
from waarborg.incidents.triage import incident_triage
from waarborg.incidents.writes import AUDIT_PURPOSE, SCOPE


def _crumbs(*trail) -> list[dict]:
    return [{"label": label, "url": url} for label, url in trail]


def _index_crumb():
    return (_("Incidents and data breaches"), reverse("incidents:index"))


def add_service_error(form, error: ValidationError, fields: dict[str, str]) -> None:
    """Show a service's refusal, in the active language, at the form field it names (`fields` maps
    the service's names to the form's), or above the form."""
    name = fields.get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.text())


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET", "HEAD"])
def index(request):
    form = f.FilterForm(request.GET or None)
    now = clock.now()
    rows = incident_list_for(viewer=request.user, now=now, **form.filters())
    return render(
        request,
        "incidents/index.html",
        {
            "form": form,
            "rows": rows,
            "now": now,
            "hours": NOTIFY_HOURS,
            "triage_hours": TRIAGE_HOURS,
            "crumbs": _crumbs((_("Incidents and data breaches"), None)),
        },
    )


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    incident_qs_for(viewer=request.user)  # the role check of the register itself
    form = f.RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = incident_register(
                actor=request.user,
                description=data["description"],
                channel=data["channel"],
                received_at=data["received_at"],
                aware_at=data["aware_at"],
                reporter_email=data["reporter_email"],
                kind=data["kind"] or Incident.Kind.BREACH,
            )
        except ValidationError as error:
            add_service_error(form, error, f.REGISTER_FIELDS)
        else:
            messages.success(request, _("Incident %(number)s is registered.") % {"number": incident.number})
            return redirect("incidents:detail", pk=incident.pk)
    crumbs = _crumbs(_index_crumb(), (_("Register an incident"), None))
    return render(request, "incidents/register.html", {"form": form, "crumbs": crumbs})


def _detail_context(user, incident: Incident, bound=None) -> dict:
    forms = {}
    for cls in f.ACTION_FORMS.values():
        forms[cls.__name__] = bound if bound is not None and type(bound) is cls else cls(incident=incident)
    return {
        "incident": incident,
        "row": clock_row(incident, clock.now()),
        "forms": forms,
        "triage": forms["TriageForm"],
        "kind_label": dict(f.kind_choices()).get(incident.kind, ""),
        "assess": forms["AssessForm"],
        "notify": forms["NotifyForm"],
        "inform": forms["InformForm"],
        "close": forms["CloseForm"],
        "customers": forms["CustomersForm"],
        "customer_notices": list(incident.customer_notices.select_related("customer").order_by("told_at", "pk")),
        "bound": bound,
        "how_label": dict(f.informed_choices()).get(incident.subjects_informed_how, ""),
        "ground_label": dict(f.ground_choices()).get(incident.no_notice_ground, ""),
        "timeline": timeline_for(viewer=user, incident=incident),
        "crumbs": _crumbs(_index_crumb(), (incident.number, None)),
    }


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET"])  # not HEAD either: every answer with the incident is a recorded opening
@transaction.atomic
def detail(request, pk: int):
    incident = incident_get_for(viewer=request.user, pk=pk)
    audit_record(
        actor=request.user,
        action=VIEW_ACTION,
        purpose=AUDIT_PURPOSE,
        object_type="incidents.incident",
        object_ids=[incident.pk],
        subject_ref=f"incident:{incident.pk}",
        data={"incident": incident.number},
    )
    return render(request, "incidents/detail.html", _detail_context(request.user, incident))


@never_cache
@staff_required(SCOPE)
@require_POST
def act(request, pk: int, action: str):
    """One action: validate, call the service, then back to the page — or, refused, the page
    again with the form and its error, and nothing changed."""
    user = request.user
    incident = incident_get_for(viewer=user, pk=pk)
    cls = f.ACTION_FORMS.get(action)
    if cls is None:
        raise Http404("no such action")
    form = cls(request.POST, incident=incident)
    if form.is_valid():
        try:
            message = _perform(user, incident, form)
        except ValidationError as error:
            add_service_error(form, error, cls.service_fields)
        else:
            messages.success(request, message)
            return redirect("incidents:detail", pk=incident.pk)
    incident = incident_get_for(viewer=user, pk=pk)  # as it is now: nothing was changed
    return render(request, "incidents/detail.html", _detail_context(user, incident, bound=form))


def _perform(user, incident: Incident, form) -> str:
    data = form.cleaned_data
    kind = type(form)
    if kind is f.TriageForm:
        incident_triage(
            actor=user, incident=incident, kind=data["kind"], aware_at=data["aware_at"], reasons=data["reasons"]
        )
        return _("The triage is recorded.")
    if kind is f.AssessForm:
        incident_assess(
            actor=user,
            incident=incident,
            is_breach=data["is_breach"],
            risk=data["risk"],
            categories=data["categories"],
            subjects_count=data["subjects_count"],
            consequences=data["consequences"],
            measures=data["measures"],
            reasons=data["reasons"],
        )
        return _("The assessment is recorded.")
    if kind is f.NotifyForm:
        incident_notify_authority(
            actor=user,
            incident=incident,
            reference=data["reference"],
            notified_at=data["notified_at"],
            delay_reasons=data["delay_reasons"],
        )
        return _("The notification to the authority is recorded.")
    if kind is f.InformForm:
        incident_inform_subjects(
            actor=user,
            incident=incident,
            how=data["how"],
            informed_at=data["informed_at"],
            ground=data["ground"],
            explanation=data["explanation"],
        )
        return _("What the people affected were told is recorded.")
    if kind is f.CustomersForm:
        told = incident_tell_customers(actor=user, incident=incident, customer_numbers=data["customer_numbers"])
        return ngettext("One customer has been told.", "%(count)s customers have been told.", len(told)) % {
            "count": len(told)
        }
    incident_close(actor=user, incident=incident, conclusion=data["conclusion"])
    return _("The incident is closed.")
