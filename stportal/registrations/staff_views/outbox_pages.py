"""The e-mail outbox (C22): what was sent, what failed, and trying again."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stportal.notifications import services as notify
from stportal.notifications.models import OutboxStatus
from stportal.registrations import staff_selectors as sel
from stportal.registrations.staff_forms import OutboxFilterForm
from stportal.registrations.staff_views.common import (
    EMAIL_KINDS,
    OUTBOX_BADGES,
    OUTBOX_STATUS_LABELS,
    staff_page,
)

OUTBOX_LIMIT = 50


@staff_page
def outbox(request: HttpRequest) -> HttpResponse:
    """C22: failed sends first, with their error, and a way to try them again."""
    scoped = sel.outbox_for_staff(request.user)
    form = OutboxFilterForm(request.GET or None)
    shown = scoped
    if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
        shown = scoped.filter(status=form.cleaned_data["status"])
    shown = shown.annotate(
        failed_first=Case(
            When(status=OutboxStatus.FAILED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("failed_first", "-created_at", "-pk")
    counts = sel.outbox_counts(scoped)
    rows = [
        {
            "message": message,
            "label": OUTBOX_STATUS_LABELS.get(message.status, message.status),
            "badge": OUTBOX_BADGES.get(message.status, "draft"),
            "kind": EMAIL_KINDS.get(message.kind, message.kind),
        }
        for message in shown[:OUTBOX_LIMIT]
    ]
    total = sum(counts.values()) if not form.is_bound else shown.count()
    return render(
        request,
        "staff/outbox.html",
        {
            "form": form,
            "rows": rows,
            "counts": counts,
            "labels": OUTBOX_STATUS_LABELS,
            "total": total,
            "limited": total > OUTBOX_LIMIT,
            "limit": OUTBOX_LIMIT,
        },
    )


@staff_page
@require_POST
def outbox_retry(request: HttpRequest) -> HttpResponse:
    """C22: "try again" on failed messages of the caller's regions only."""
    failed = sel.outbox_for_staff(request.user).filter(status=OutboxStatus.FAILED)
    if request.POST.get("all"):
        ids = list(failed.values_list("pk", flat=True))
    else:
        chosen = [int(v) for v in request.POST.getlist("message") if v.isdigit()]
        ids = list(failed.filter(pk__in=chosen).values_list("pk", flat=True))
    if not ids:
        messages.warning(request, _("None of the chosen e-mails has failed."))
        return redirect("staff:outbox")
    # Queued again for the mail worker (sent at once only where no worker runs).
    report = notify.retry_failed(ids=ids, now=timezone.now())
    text = notify.retry_summary(report)
    if report.failed or report.gave_up:
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("staff:outbox")
