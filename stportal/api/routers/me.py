"""Who am I (Appendix A)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from stportal.accounts.exports import export_personal_data
from stportal.accounts.roles import roles_of
from stportal.accounts.selectors import trainee_id_of
from stportal.api.auth import AUTH, caller
from stportal.api.schemas import MeOut

router = Router(auth=AUTH, tags=["me"])


@router.get("", response=MeOut, summary="Who am I")
def get_me(request: HttpRequest) -> MeOut:
    user = caller(request)
    return MeOut(
        user_id=user.pk,
        username=user.username,
        name=user.display_name,
        roles=sorted(roles_of(user)),
        trainee_id=trainee_id_of(user),
    )


@router.get("/export", response=dict[str, Any], summary="Everything held about me (GDPR)")
def export_me(request: HttpRequest) -> dict[str, Any]:
    return export_personal_data(actor=caller(request))
