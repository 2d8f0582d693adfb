"""Metrics in Prometheus' text format (/metrics): counts, states, times — never personal data.

Read from the database at each scrape: privacy requests open (by days left, overdue, late),
dunning cases by the step they are at, dunning notices queued and failing, webhook messages
failing, the last daily run (time, duration, result), the last audit-chain check, incidents
open with the hours left on their 72-hour clocks. Kept by the processes themselves: the time
requests take, per view.

Under `waarborg serve` every worker writes its request timings to files in one directory
(prometheus_client's multi-process mode, PROMETHEUS_MULTIPROC_DIR), so a scrape sees all workers
whichever one answers it.
"""

from __future__ import annotations

import os
import time

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from waarborg.core import clock
from waarborg.dunning.models import Case, LadderVersion, Notice, ProvisioningMessage
from waarborg.dunning.selectors import BOARD_STATUSES, NOT_STARTED, step_at
from waarborg.incidents.selectors import incident_list_for_system
from waarborg.operations.selectors import last_audit_check, last_daily_run
from waarborg.privacy.selectors import queue_for_system

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Open privacy requests by the days left until the date the answer is due (art. 12(3)).
DAYS_LEFT_BUCKETS = (("past", None, -1), ("0-7", 0, 7), ("8-14", 8, 14), ("15-28", 15, 28), ("29+", 29, None))

REQUEST_SECONDS = Histogram(
    "waarborg_http_request_duration_seconds",
    "Time from the request reaching the application to its response, per view.",
    ["view", "method"],
    registry=None,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _gauge(name: str, documentation: str, value: float | None = None, labels: tuple[str, ...] = ()):
    family = GaugeMetricFamily(name, documentation, labels=list(labels) or None)
    if value is not None:
        family.add_metric([], value)
    return family


def _days_bucket(days_left: int) -> str:
    for name, low, high in DAYS_LEFT_BUCKETS:
        if (low is None or days_left >= low) and (high is None or days_left <= high):
            return name
    return DAYS_LEFT_BUCKETS[-1][0]


def _privacy(today):
    rows = queue_for_system(today=today)
    by_days = {name: 0 for name, _, _ in DAYS_LEFT_BUCKETS}
    for row in rows:
        by_days[_days_bucket(row.days_left)] += 1
    family = _gauge(
        "waarborg_privacy_requests_open",
        "Open privacy requests by the days left until they are due.",
        labels=("days_left",),
    )
    for name, count in by_days.items():
        family.add_metric([name], count)
    yield family
    yield _gauge(
        "waarborg_privacy_requests_overdue",
        "Open privacy requests past the promised term (day 28, or the extended date).",
        sum(1 for r in rows if r.overdue),
    )
    yield _gauge(
        "waarborg_privacy_requests_late",
        "Open privacy requests past the legal term (art. 12(3)).",
        sum(1 for r in rows if r.late),
    )


def _dunning():
    from django.db.models import Count, Q

    versions = {v.pk: v for v in LadderVersion.objects.all()}
    counts: dict[str, int] = {}
    rows = (
        Case.objects.filter(status__in=BOARD_STATUSES)
        .order_by()
        .values("ladder_version_id", "next_index", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        step = step_at(versions[row["ladder_version_id"]], row["next_index"], row["status"])
        kind = step["kind"] if step else NOT_STARTED
        counts[kind] = counts.get(kind, 0) + row["n"]
    family = _gauge("waarborg_dunning_cases", "Dunning cases not closed, by the step they are at.", labels=("step",))
    for kind, count in sorted(counts.items()):
        family.add_metric([kind], count)
    yield family

    notices = Notice.objects.aggregate(
        queued=Count("pk", filter=Q(status=Notice.Status.QUEUED)),
        failing=Count("pk", filter=Q(status=Notice.Status.QUEUED, attempts__gte=1)),
        undeliverable=Count("pk", filter=Q(status=Notice.Status.UNDELIVERABLE)),
    )
    yield _gauge("waarborg_notices_queued", "Dunning notices waiting to be sent.", notices["queued"])
    yield _gauge(
        "waarborg_notices_failing", "Queued dunning notices whose sending failed at least once.", notices["failing"]
    )
    yield _gauge(
        "waarborg_notices_undeliverable", "Dunning notices without an address to send to.", notices["undeliverable"]
    )
    messages = ProvisioningMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=ProvisioningMessage.Status.PENDING)),
        failing=Count("pk", filter=Q(status=ProvisioningMessage.Status.PENDING, attempts__gte=1)),
    )
    yield _gauge(
        "waarborg_webhook_messages_pending", "Provisioning webhook messages not yet delivered.", messages["pending"]
    )
    yield _gauge(
        "waarborg_webhook_messages_failing",
        "Provisioning webhook messages not delivered after at least one failed attempt.",
        messages["failing"],
    )


def _daily_and_audit():
    run = last_daily_run(finished=True)
    if run is not None:
        yield _gauge(
            "waarborg_daily_run_last_finished_timestamp_seconds",
            "When the last daily run finished (Unix time).",
            run.finished_at.timestamp(),
        )
        yield _gauge(
            "waarborg_daily_run_last_duration_seconds", "How long the last daily run took.", run.duration_seconds
        )
        yield _gauge(
            "waarborg_daily_run_last_ok", "1 when the last daily run finished without failure.", int(run.status == "ok")
        )
    check = last_audit_check()
    if check is not None:
        yield _gauge(
            "waarborg_audit_chain_last_check_timestamp_seconds",
            "When the audit trail's hash chain was last verified (Unix time).",
            check.checked_at.timestamp(),
        )
        yield _gauge(
            "waarborg_audit_chain_ok", "1 when the last verification of the audit chain passed.", int(check.ok)
        )


def _incidents(now):
    rows = incident_list_for_system(open_only=True, now=now)
    yield _gauge("waarborg_incidents_open", "Incidents not closed.", len(rows))
    yield _gauge(
        "waarborg_incidents_overdue",
        "Incidents whose 72-hour clock has run out unreported.",
        sum(r.overdue for r in rows),
    )
    family = _gauge(
        "waarborg_incident_hours_left",
        "Hours left on the 72-hour clock of an incident whose clock runs (negative: past).",
        labels=("incident",),
    )
    for row in rows:
        if row.running and row.hours_left is not None:
            family.add_metric([row.incident.number], row.hours_left)
    yield family


class DomainCollector:
    """What the database says at the moment of the scrape."""

    def collect(self):
        now = clock.now()
        yield from _privacy(clock.today())
        yield from _dunning()
        yield from _daily_and_audit()
        yield from _incidents(now)


def render() -> bytes:
    """The whole exposition: the request timings of every worker and the domain's figures."""
    registry = CollectorRegistry(auto_describe=False)
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        MultiProcessCollector(registry, path=directory)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DomainCollector())
    return generate_latest(registry)


class RequestLatencyMiddleware:
    """Times every request, labelled by the view that answered (not by its path: no ids)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None and match.view_name else "unmatched"
        method = request.method if request.method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE") else "other"
        REQUEST_SECONDS.labels(view=view, method=method).observe(time.perf_counter() - started)
        return response
