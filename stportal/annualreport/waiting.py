"""What waits for a person about annual reports (SPEC 5 P13): reports to review for the
study director, assessments to write for the supervisor, the reflection for the trainee."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from stportal.annualreport import selectors
from stportal.core.waiting import Waiting


def waiting_reports(user: Any) -> list[Waiting]:
    """One query whatever the number of reports."""
    review, assess, reflect = selectors.waiting_counts(user)
    found = []
    url = reverse("annualreport:index")
    if review:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d annual report is waiting for your review.",
                    "%(count)d annual reports are waiting for your review.",
                    review,
                )
                % {"count": review},
                review,
                url,
                order=31,
            )
        )
    if assess:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d annual report is waiting for your assessment.",
                    "%(count)d annual reports are waiting for your assessment.",
                    assess,
                )
                % {"count": assess},
                assess,
                url,
                order=36,
            )
        )
    if reflect:
        found.append(
            Waiting(
                ngettext(
                    "%(count)d annual report is waiting for your reflection.",
                    "%(count)d annual reports are waiting for your reflection.",
                    reflect,
                )
                % {"count": reflect},
                reflect,
                url,
                order=36,
            )
        )
    return found
