"""What the people pages ask of a person now (the start page's list): proposed planned
completion dates to decide (C5a)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from stportal.accounts.completion_selectors import pending_proposals_for
from stportal.accounts.models import User
from stportal.core.waiting import Waiting


def waiting_for(user: User) -> list[Waiting]:
    count = pending_proposals_for(user).count()
    return [
        Waiting(
            ngettext(
                "%(count)d proposed planned completion date to decide",
                "%(count)d proposed planned completion dates to decide",
                count,
            )
            % {"count": count},
            count,
            reverse("accounts:completion_proposals"),
            order=30,
        )
    ]
