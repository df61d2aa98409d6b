"""What waits for a person about competence assessments (P12): the trainee who is behind
the region's expectation this year; the supervisor whose trainees are behind; the assessor
with an account who has assessments to complete."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from stportal.assessments import selectors
from stportal.core.dates import local_date
from stportal.core.waiting import Waiting


def waiting_assessments(user: Any) -> list[Waiting]:
    """A constant number of queries whatever the number of assessments or trainees."""
    today = local_date(timezone.now())
    found = []
    profile = selectors.own_profile(user)
    if profile is not None:
        progress = selectors.progress_of(profile, today)
        if progress.behind:
            found.append(
                Waiting(
                    ngettext(
                        "You have %(done)d competence assessment this year; by now %(due)d "
                        "are expected (%(expected)d a year).",
                        "You have %(done)d competence assessments this year; by now %(due)d "
                        "are expected (%(expected)d a year).",
                        progress.done,
                    )
                    % {
                        "done": progress.done,
                        "due": progress.due_by_now,
                        "expected": progress.expected,
                    },
                    progress.missing,
                    reverse("assessments:index"),
                    order=55,
                )
            )
    behind = len(selectors.trainees_behind(user, today))
    if behind:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d trainee you supervise is behind with competence assessments "
                    "this year.",
                    "%(count)d trainees you supervise are behind with competence assessments "
                    "this year.",
                    behind,
                )
                % {"count": behind},
                behind,
                reverse("assessments:supervised"),
                order=58,
            )
        )
    to_assess = selectors.to_assess(user).count()
    if to_assess:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d competence assessment is waiting for you as assessor.",
                    "%(count)d competence assessments are waiting for you as assessor.",
                    to_assess,
                )
                % {"count": to_assess},
                to_assess,
                reverse("assessments:index"),
                order=40,
            )
        )
    return found
