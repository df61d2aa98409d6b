"""What waits for a person about supervisor statements (P5): statements to review for the
study director, drafts to finish and statements sent back for the supervisor."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from stportal.core.waiting import Waiting
from stportal.statements import selectors


def waiting_statements(user: Any) -> list[Waiting]:
    """One query whatever the number of statements."""
    review, drafts, sent_back = selectors.waiting_counts(user)
    found = []
    if review:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d supervisor statement is waiting for your review.",
                    "%(count)d supervisor statements are waiting for your review.",
                    review,
                )
                % {"count": review},
                review,
                reverse("statements:review_list"),
                order=30,
            )
        )
    if sent_back:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d supervisor statement was sent back to you by the study director.",
                    "%(count)d supervisor statements were sent back to you by the study director.",
                    sent_back,
                )
                % {"count": sent_back},
                sent_back,
                reverse("statements:index"),
                order=35,
            )
        )
    if drafts:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d supervisor statement you are writing is a draft.",
                    "%(count)d supervisor statements you are writing are drafts.",
                    drafts,
                )
                % {"count": drafts},
                drafts,
                reverse("statements:index"),
                order=60,
            )
        )
    return found
