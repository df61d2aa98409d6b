"""Home units (basenheter) of the caller's region: staff endpoints (Appendix A)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from stportal.accounts import selectors, services
from stportal.accounts.models import HomeUnit
from stportal.api.auth import STAFF_AUTH, caller
from stportal.api.schemas import HomeUnitIn, HomeUnitOut

router = Router(auth=STAFF_AUTH, tags=["home units"])


@router.post("", response={201: HomeUnitOut}, summary="Create a home unit")
def create_home_unit(request: HttpRequest, payload: HomeUnitIn) -> HomeUnit:
    user = caller(request)
    region = selectors.resolve_staff_region(user, payload.region)
    unit = services.create_home_unit(
        actor=user,
        region=region,
        name=payload.name,
        cost_centre=payload.cost_centre,
        area=selectors.area_in_region(region, payload.area),
        away_from_host_site=payload.away_from_host_site,
        invoice_address=payload.invoice_address,
    )
    return selectors.home_units_for_user(user).get(pk=unit.pk)


@router.get("", response=list[HomeUnitOut], summary="List home units")
def list_home_units(request: HttpRequest) -> QuerySet[HomeUnit]:
    return selectors.home_units_for_user(caller(request))
