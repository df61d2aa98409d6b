"""The product's URLs plus `POST /bench/one-row`: a trivial Django view that writes one row.

It is the yardstick of SPEC 7's throughput bar (registration at least half of a trivial view
that writes one row): the same middleware, the same server and the same database as the
registration endpoint, but one INSERT in autocommit and a tiny JSON answer.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from stportal.core.models import AuditEvent
from stportal.urls import urlpatterns as product_urlpatterns


@csrf_exempt
@require_POST
def one_row(request: HttpRequest) -> JsonResponse:
    event = AuditEvent.objects.create(action="bench.one_row", object_type="bench", object_id="0")
    return JsonResponse({"id": event.pk}, status=201)


urlpatterns = [path("bench/one-row", one_row, name="bench-one-row"), *product_urlpatterns]
