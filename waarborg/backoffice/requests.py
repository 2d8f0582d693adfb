"""Privacy requests in the back office (G1–G10, X2, X3, X5, B2, B4).

- the queue (`backoffice:requests`) with filters by type, status, due date and handler, the
  overdue flagged and the days left shown; support sees only the way to register;
- registering a request received by e-mail, post or phone, with the date received (support and
  the privacy officer), and starting its identity check;
- one page per request, with its timeline and the actions: identity check, ID-copy review,
  extension, refusal, corrections, restriction, erasure plan, recipient notices, answer;
- the privacy officer's month.

Who may do what is the privacy app's to decide (waarborg.privacy.selectors): reading a request
and every action is the privacy officer's; a role that may not gets a 403. Which actions a
request offers now is decided there too (waarborg.privacy.actions), and the page shows those
forms. The views validate and call the services, which do the work; each refusal is shown at
its field, with nothing changed. Every opening of a request's page is recorded in the audit
trail.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waarborg.audit.services import audit_record
from waarborg.auth_web.decorators import staff_required
from waarborg.backoffice import request_forms as rf
from waarborg.backoffice.request_selectors import (
    earlier_requests_for,
    erasure_preview_for,
    month_overview_for,
    queue_rows_for,
    target_date,
    timeline_for,
)
from waarborg.core import clock
from waarborg.core.errors import NotFound, ValidationError, WaarborgError
from waarborg.customers.services import customer_ref
from waarborg.erasure.models import ErasureCase
from waarborg.privacy import (
    access_delivery,
    actions,
    answers,
    delivery,
    erasure_plan,
    handling,
    identity,
    intake,
    processing_limits,
    recipient_notices,
    rectification,
)
from waarborg.privacy.actions import available_actions
from waarborg.privacy.erasure_answer import privacy_request_erase
from waarborg.privacy.models import PrivacyRequest
from waarborg.privacy.selectors import (
    HANDLER_ROLES,
    id_document_list_for,
    privacy_request_get_for,
    queue_row,
    recipient_notice_list_for,
    rectification_proposal_list_for,
)
from waarborg.web import privacy_texts

log = logging.getLogger(__name__)

SCOPE = "requests"
AUDIT_PURPOSE = handling.AUDIT_PURPOSE  # handling a rights request is a statutory obligation
MAIL_FAILED = gettext_lazy("The e-mail could not be sent now, so nothing was changed. Try again in a while.")
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _crumbs(*trail) -> list[dict]:
    return [{"label": label, "url": url} for label, url in trail]


def _queue_crumb():
    return (_("Privacy requests"), reverse("backoffice:requests"))


def handles(user) -> bool:
    return getattr(user, "role", None) in HANDLER_ROLES


# --- The queue ------------------------------------------------------------------------------


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET", "HEAD"])
def queue(request):
    user = request.user
    context = {"handles": handles(user), "crumbs": _crumbs((_("Privacy requests"), None))}
    if context["handles"]:
        today = clock.today()
        form = rf.QueueFilterForm(request.GET or None)
        rows = queue_rows_for(viewer=user, today=today, **form.filters())
        context |= {
            "form": form,
            "today": today,
            "rows": [{"row": row, "target": target_date(row), "left": (target_date(row) - today).days} for row in rows],
        }
    return render(request, "backoffice/requests/queue.html", context)


# --- Registering ----------------------------------------------------------------------------


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    """A request received by e-mail, post or phone, with the date it was received (G7, G9)."""
    user = request.user
    crumbs = _crumbs(_queue_crumb(), (_("Register a request"), None))
    form = rf.RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = intake.privacy_request_create(actor=user, **form.service_kwargs())
        except NotFound:
            form.add_error(
                None,
                _(
                    "Nobody is known by these details, so nothing was registered. Check them, or answer the "
                    "requester that we hold no data about them under these details."
                ),
            )
        except ValidationError as error:
            privacy_texts.add_service_error(form, error, rf.REGISTER_FIELDS)
        else:
            started, failed = None, False
            known = bool(made.subject_rows)
            if form.cleaned_data["start_check"] and known and made.is_open and not made.is_verified:
                try:
                    started = identity.privacy_request_start_verification(actor=user, request=made)
                except (OSError, ValidationError) as exc:
                    log.warning("privacy request %s: identity check not started (%s)", made.pk, type(exc).__name__)
                    failed = True
            context = {
                "req": made,
                "started": started,
                "check_failed": failed,
                "known": known,
                "handles": handles(user),
                "link_hours": identity.LINK_HOURS,
            }
            return render(request, "backoffice/requests/registered.html", context | {"crumbs": crumbs})
    return render(request, "backoffice/requests/register.html", {"form": form, "crumbs": crumbs})


# --- The month ------------------------------------------------------------------------------


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET", "HEAD"])
def overview(request):
    user = request.user
    today = clock.today()
    month = today.replace(day=1)
    form = rf.MonthForm(request.GET or None, initial={"maand": month})
    if form.is_bound and form.is_valid() and form.cleaned_data.get("maand"):
        month = form.cleaned_data["maand"].replace(day=1)
    report = month_overview_for(viewer=user, month=month, today=today)  # PermissionDenied: 403
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "backoffice/requests/overview.html",
        {
            "form": form,
            "report": report,
            "previous": previous,
            "following": following if following <= today else None,
            "crumbs": _crumbs(_queue_crumb(), (_("Month overview"), None)),
        },
    )


# --- One request ----------------------------------------------------------------------------


def _form(bound, cls, request, item=None, **kwargs):
    if bound is not None and type(bound) is cls and bound.item == item:
        return bound
    return cls(request=request, item=item, **kwargs)


def _detail_context(user, made: PrivacyRequest, bound=None) -> dict:
    today = clock.today()
    earlier = earlier_requests_for(viewer=user, request=made)
    proposals = list(rectification_proposal_list_for(viewer=user, request=made))
    notices = list(recipient_notice_list_for(viewer=user, request=made))
    documents = list(id_document_list_for(viewer=user, request=made))
    offered = available_actions(made, actor=user, today=today)
    preview = None
    if actions.SUBMIT_ERASURE_PLAN in offered:
        preview = erasure_preview_for(viewer=user, request=made)
    forms = {
        "verify": _form(bound, rf.VerifyForm, made),
        "staff_check": _form(bound, rf.StaffCheckForm, made),
        "assign": _form(bound, rf.AssignForm, made),
        "extend": _form(bound, rf.ExtendForm, made),
        "refuse": _form(bound, rf.RefuseForm, made, earlier=earlier),
        "complete": _form(bound, rf.CompleteForm, made),
        "no_data": _form(bound, rf.NoDataForm, made),
        "proposal_add": _form(bound, rf.ProposalAddForm, made),
        "restrict": _form(bound, rf.RestrictForm, made),
        "erasure_submit": _form(bound, rf.ErasureSubmitForm, made),
        "erasure_review": _form(bound, rf.ErasureReviewForm, made),
    }
    return {
        "req": made,
        "row": queue_row(made, today),
        "target": made.extended_due or made.promise_due,
        "days_left": ((made.extended_due or made.promise_due) - today).days,
        "today": today,
        "actions": offered,
        "restricted": made.restrictions.filter(lifted_at__isnull=True).exists(),
        "earlier": earlier,
        "links": [(link, _link_state(link)) for link in made.links.order_by("-created_at", "-pk")[:5]],
        "proposals": [(p, _form(bound, rf.ProposalDecideForm, made, p.pk)) for p in proposals],
        "notices": [(n, _form(bound, rf.NoticeForm, made, n.pk)) for n in notices],
        "documents": [
            (d, _form(bound, rf.IdReadForm, made, d.pk), _form(bound, rf.IdReviewForm, made, d.pk)) for d in documents
        ],
        "preview": preview,
        "known": bool(made.subject_rows or made.contact_id or made.account_id),
        "pushes": [
            (push, _form(bound, rf.PushRetryForm, made, push.pk)) for push in made.package_pushes.order_by("pk")
        ],
        "downloads": list(made.download_links.order_by("pk")),
        "forms": forms,
        "bound": bound,
        "timeline": timeline_for(viewer=user, request=made),
        "crumbs": _crumbs(_queue_crumb(), (made.number, None)),
    }


def _link_state(link) -> str:
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "replaced"
    if link.failed_attempts >= identity.LINK_MAX_ATTEMPTS:
        return "locked"
    return "expired" if clock.now() >= link.expires_at else "open"


@never_cache
@staff_required(SCOPE)
@require_http_methods(["GET"])  # not HEAD either: every answer with the request is a recorded opening
@transaction.atomic
def detail(request, pk: int):
    user = request.user
    made = privacy_request_get_for(viewer=user, pk=pk)  # support: 403; unknown: 404
    audit_record(
        actor=user,
        action="privacy.request.view",
        purpose=AUDIT_PURPOSE,
        object_type="privacy.privacyrequest",
        object_ids=[made.pk],
        subject_ref=_subject_ref(made),
        data={"request": made.number},
    )
    return render(request, "backoffice/requests/detail.html", _detail_context(user, made))


def _subject_ref(made: PrivacyRequest) -> str:
    if made.contact_id and made.contact is not None:
        return customer_ref(made.contact.customer_id)
    return f"privacyrequest:{made.pk}"


def _item(made: PrivacyRequest, user, cls, item):
    """The correction, notice or ID copy of this request the action is about (else 404)."""
    if cls in (rf.ProposalDecideForm,):
        qs = rectification_proposal_list_for(viewer=user, request=made)
    elif cls is rf.PushRetryForm:
        qs = made.package_pushes.all()
    elif cls is rf.NoticeForm:
        qs = recipient_notice_list_for(viewer=user, request=made)
    else:
        qs = id_document_list_for(viewer=user, request=made)
    found = qs.filter(pk=item).first()
    if found is None:
        raise Http404("no such item of this request")
    return found


def _letter(request, made, notice, title):
    """A text that goes by post: shown once, to print and send today."""
    context = {"req": made, "notice": notice, "title": title, "crumbs": _crumbs(_queue_crumb(), (made.number, None))}
    return render(request, "backoffice/requests/letter.html", context)


@never_cache
@staff_required(SCOPE)
@require_POST
def act(request, pk: int, action: str, item: int | None = None):
    """One action on a request: validate, call the service, then back to the request's page —
    or, refused, the page again with the form and its errors, and nothing changed."""
    user = request.user
    made = privacy_request_get_for(viewer=user, pk=pk)
    cls = rf.ACTION_FORMS.get(action)
    if cls is None or cls.with_item != (item is not None):
        raise Http404("no such action")
    target = _item(made, user, cls, item) if item is not None else None
    kwargs = {"earlier": earlier_requests_for(viewer=user, request=made)} if cls is rf.RefuseForm else {}
    form = cls(request.POST, request=made, item=item, **kwargs)
    if form.is_valid():
        try:
            response = _perform(request, user, made, form, target)
        except ValidationError as error:
            privacy_texts.add_service_error(form, error, _service_fields(cls))
        except OSError as exc:
            log.warning("privacy request %s: %s not done, mail failed (%s)", made.pk, action, type(exc).__name__)
            form.add_error(None, MAIL_FAILED)
        else:
            return response
    made = privacy_request_get_for(viewer=user, pk=pk)  # as it is now: nothing was changed
    return render(request, "backoffice/requests/detail.html", _detail_context(user, made, bound=form))


def _service_fields(cls) -> dict:
    """Where a service's refusal belongs in the action's form."""
    if cls is rf.ProposalAddForm:
        return dict.fromkeys(rectification.RECTIFIABLE, "value") | {"field": "field"}
    if cls in (rf.NoticeForm, rf.ErasureReviewForm):
        return {"reason": "note"}
    return {}


def _done(request, made, message):
    messages.success(request, message)
    return redirect("backoffice:request", pk=made.pk)


def _carry_out_erasure(user, made) -> str:
    """The approved plan is carried out at once by the erasure engine; the approval stands even
    when the engine cannot finish now (a hold is retried by the daily run)."""
    try:
        case = privacy_request_erase(actor=user, request=made)
    except WaarborgError as exc:
        log.warning("approved erasure plan of request %s not carried out (%s)", made.pk, type(exc).__name__)
        return _("The erasure plan was approved, but could not be carried out now: %(why)s") % {"why": exc.text()}
    if case.status == ErasureCase.Status.COMPLETE:
        return _("The erasure plan was approved and carried out; the residual scan found nothing left.")
    if case.status == ErasureCase.Status.ON_HOLD:
        return _(
            "The erasure plan was approved; the erasure waits for a hold (%(hold)s) and runs when it is released."
        ) % {"hold": case.hold}
    if case.result.get("scan") == "pending":  # the scan runs once this transaction has committed
        return _("The erasure plan was approved and carried out; the residual scan checks it now.")
    return _("The erasure plan was approved and carried out, but the residual scan found data: see the erasure case.")


def _deliver_access(request, user, made: PrivacyRequest, data):
    """G1: the access package built and delivered — a one-time link in the answer (and the portal),
    or the letter with the package to print or put on a data carrier."""
    delivered = access_delivery.access_deliver(actor=user, request=made, note=data["note"], by_post=data["by_post"])
    if delivered.link is None:
        context = {
            "req": delivered.request,
            "notice": delivered.notice,
            "read_form": rf.PackageReadForm(request=made),
            "crumbs": _crumbs(_queue_crumb(), (made.number, None)),
        }
        return render(request, "backoffice/requests/access_letter.html", context)
    until = formats.date_format(timezone.localtime(delivered.link.expires_at), "DATETIME_FORMAT")
    if delivered.in_portal:
        message = _(
            "The request was answered and the package is ready. The requester got the answer by e-mail with a "
            "one-time download link, valid until %(until)s, and can download the package once in the portal "
            "instead."
        )
    else:
        message = _(
            "The request was answered and the package is ready. The requester got the answer by e-mail with a "
            "one-time download link, valid until %(until)s."
        )
    return _done(request, made, message % {"until": until})


def _perform(request, user, made: PrivacyRequest, form, target):
    data = form.cleaned_data
    kind = type(form)
    if kind is rf.VerifyForm:
        started = identity.privacy_request_start_verification(actor=user, request=made)
        if started.url:
            context = {
                "req": made,
                "started": started,
                "link_hours": identity.LINK_HOURS,
                "crumbs": _crumbs(_queue_crumb(), (made.number, None)),
            }
            return render(request, "backoffice/requests/verification_letter.html", context)
        return _done(request, made, _("The identity check was e-mailed to the requester."))
    if kind is rf.StaffCheckForm:
        identity.privacy_request_verify_by_staff(actor=user, request=made, note=data["note"])
        return _done(request, made, _("The identity is recorded as checked by you."))
    if kind is rf.AssignForm:
        intake.privacy_request_assign(actor=user, request=made, handler=user)
        return _done(request, made, _("You handle this request now."))
    if kind is rf.ExtendForm:
        notice = answers.privacy_request_extend(
            actor=user, request=made, reason=data["reason"], by_post=data["by_post"]
        )
        if not notice.emailed:
            return _letter(request, made, notice, _("The extension, to send by post today"))
        return _done(request, made, _("The term was extended; the requester was told why by e-mail."))
    if kind is rf.RefuseForm:
        notice = answers.privacy_request_refuse(
            actor=user,
            request=made,
            reason=data["reason"],
            ground=data["ground"],
            justification=data["justification"],
            earlier_requests=[int(pk) for pk in data.get("earlier_requests", ())],
            by_post=data["by_post"],
        )
        if not notice.emailed:
            return _letter(request, made, notice, _("The refusal, to send by post today"))
        return _done(request, made, _("The request was refused; the requester was told by e-mail."))
    if kind is rf.NoDataForm:
        notice = intake.privacy_request_answer_no_data(actor=user, request=made, by_post=data["by_post"])
        if not notice.emailed:
            return _letter(request, made, notice, _("The answer, to send by post today"))
        return _done(request, made, _("The requester was answered that nothing is held under these details."))
    if kind is rf.CompleteForm and made.type == PrivacyRequest.Type.PORTABILITY:
        delivered = delivery.portability_deliver(actor=user, request=made, note=data["note"], by_post=data["by_post"])
        if delivered.url:
            context = {
                "req": made,
                "delivered": delivered,
                "link_days": delivery.LINK_DAYS,
                "crumbs": _crumbs(_queue_crumb(), (made.number, None)),
            }
            return render(request, "backoffice/requests/package_letter.html", context)
        if delivered.push is not None and delivered.push.status != "sent":
            messages.warning(
                request, _("The request was answered, but sending the package failed: try it again below.")
            )
            return redirect("backoffice:request", pk=made.pk)
        return _done(request, made, _("The request was answered and the package delivered."))
    if kind is rf.CompleteForm and made.type == PrivacyRequest.Type.ACCESS:
        return _deliver_access(request, user, made, data)
    if kind is rf.PackageReadForm:
        content, name = access_delivery.access_package_read(actor=user, request=made)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
    if kind is rf.PushRetryForm:
        push = delivery.portability_push(actor=user, push=target)
        if push.status != "sent":
            messages.warning(request, _("Sending the package failed again; it can be tried later."))
            return redirect("backoffice:request", pk=made.pk)
        return _done(request, made, _("The package was sent to the organisation."))
    if kind is rf.CompleteForm:
        notice = answers.privacy_request_complete(
            actor=user,
            request=made,
            note=data["note"],
            keep_purposes=form.keep_purposes(),
            package_ref=data.get("package_ref", ""),
            by_post=data["by_post"],
        )
        if not notice.emailed:
            return _letter(request, made, notice, _("The answer, to send by post today"))
        return _done(request, made, _("The request was answered and closed."))
    if kind is rf.ProposalAddForm:
        rectification.rectification_proposal_add(actor=user, request=made, field=data["field"], value=data["value"])
        return _done(request, made, _("The correction was added."))
    if kind is rf.ProposalDecideForm:
        if data["decision"] == "approve":
            rectification.rectification_proposal_approve(actor=user, proposal=target)
            return _done(request, made, _("The correction was approved and applied."))
        rectification.rectification_proposal_reject(actor=user, proposal=target, reason=data["reason"])
        return _done(request, made, _("The correction was rejected."))
    if kind is rf.NoticeForm:
        if data["decision"] == "done":
            recipient_notices.recipient_notice_done(actor=user, notice=target, note=data["note"])
            return _done(request, made, _("The recipient notice is marked done."))
        recipient_notices.recipient_notice_waive(actor=user, notice=target, reason=data["note"])
        return _done(request, made, _("The recipient notice was waived."))
    if kind is rf.IdReadForm:
        content = identity.id_document_read(actor=user, document=target)
        response = HttpResponse(content, content_type=target.content_type)
        name = f"id-{made.number}-{target.pk}.{EXTENSIONS.get(target.content_type, 'bin')}"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'"
        )
        return response
    if kind is rf.IdReviewForm:
        verified = data["verified"] == "yes"
        identity.id_document_review(actor=user, document=target, verified=verified)
        if verified:
            return _done(request, made, _("The identity is verified; the copy was destroyed."))
        return _done(request, made, _("The copy was not sufficient and was destroyed. Send a new check, or refuse."))
    if kind is rf.RestrictForm:
        processing_limits.restriction_apply(actor=user, request=made, categories=data["categories"] or None)
        return _done(request, made, _("The subject's data is restricted now."))
    if kind is rf.ErasureSubmitForm:
        preview = erasure_preview_for(viewer=user, request=made)
        erasure_plan.erasure_plan_submit(actor=user, request=made, categories=preview.categories, summary=preview.rows)
        return _done(request, made, _("The erasure plan was submitted for review."))
    if kind is rf.ErasureReviewForm:
        approve = data["decision"] == "approve"
        erasure_plan.erasure_plan_review(actor=user, request=made, approve=approve, note=data["note"])
        if not approve:
            return _done(request, made, _("The erasure plan was rejected."))
        return _done(request, made, _carry_out_erasure(user, made))
    raise Http404("no such action")  # pragma: no cover - every form of ACTION_FORMS is handled
