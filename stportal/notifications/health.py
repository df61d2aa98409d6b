"""Readiness for operations (`/readyz`): the database answers, its migrations are applied,
and the outbox is being drained.

`/healthz` (liveness) only asks whether the process can reach its database; a load balancer
uses it. `/readyz` is for monitoring and for an orchestrator's readiness probe: it answers
503 when the process cannot serve (the database unreachable, migrations not applied) or when
e-mail has stopped leaving (the oldest message due waited longer than
`STPORTAL_OUTBOX_STALLED_MINUTES`: no mail worker runs, or the mail server refuses), and
always says how many messages wait.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from stportal.notifications.models import OutboxMessage
from stportal.notifications.sending import due


def outbox_backlog(now: dt.datetime) -> dict[str, Any]:
    """How many messages the mail worker would send now (`sending.due`: a message waiting
    for its retry is not due yet), and how many minutes ago the oldest of them was queued."""
    waiting = OutboxMessage.objects.filter(due(now))
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    waiting_minutes = int((now - oldest).total_seconds() // 60) if oldest else 0
    return {"waiting": waiting.count(), "oldest_waiting_minutes": max(0, waiting_minutes)}


def _migrations_applied() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def readyz(request: HttpRequest) -> JsonResponse:
    try:
        if not _migrations_applied():
            return JsonResponse({"status": "migrations_pending"}, status=503)
        outbox = outbox_backlog(timezone.now())
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "database_unreachable"}, status=503)
    stalled = outbox["oldest_waiting_minutes"] > settings.OUTBOX_STALLED_MINUTES
    return JsonResponse(
        {"status": "outbox_stalled" if stalled else "ok", "database": "ok", "outbox": outbox},
        status=503 if stalled else 200,
    )
