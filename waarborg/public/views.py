"""The privacy statement and the contact page (K1, K3): no sign-in, no personal data."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from waarborg.public.models import StatementVersion
from waarborg.public.services import statement_context, statement_current
from waarborg.register.selectors import subprocessor_changes_upcoming, subprocessors_in_force
from waarborg.register.services import PROCESSOR_AGREEMENT_VERSION, SUBPROCESSOR_NOTICE_DAYS


def _lang() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def privacy(request):
    """The statement: the controller's words around the facts the personal-data map declares."""
    context = statement_context(_lang())
    context["published"] = statement_current()
    return render(request, "public/privacy.html", context)


def statement_versions(request):
    """Every kept version of the statement with its date, newest first (K2)."""
    versions = list(StatementVersion.objects.only("pk", "version", "published_at").order_by("-published_at", "-pk"))
    for newer, older in zip(versions, versions[1:], strict=False):
        older.until = newer.published_at  # in force until the next one took effect
    return render(request, "public/statement_versions.html", {"versions": versions})


def statement_version(request, pk: int):
    version = get_object_or_404(StatementVersion, pk=pk)
    html = version.html_en if _lang() == "en" else version.html_nl
    newest = statement_current()
    return render(
        request,
        "public/statement_version.html",
        {
            "version": version,
            # Our own rendering of the template, kept as it was shown: no outside input in it.
            "statement_html": mark_safe(html),  # noqa: S308
            "is_newest": newest is not None and newest.pk == version.pk,
        },
    )


def processor_context() -> dict:
    """What the processing agreement's terms show (public page and portal)."""
    return {
        "agreement_version": PROCESSOR_AGREEMENT_VERSION,
        "notice_days": SUBPROCESSOR_NOTICE_DAYS,
        "subprocessors": subprocessors_in_force(),
        "upcoming": list(subprocessor_changes_upcoming()),
    }


def processor_agreement(request):
    """The processing agreement for customers' own data, with the sub-processors (X7)."""
    return render(request, "public/processor_agreement.html", processor_context())


def contact(request):
    return render(request, "public/contact.html")
