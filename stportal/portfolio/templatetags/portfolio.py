"""`{% coverage_summary profile %}`: one line of what remains of a trainee's curriculum and a
link to their coverage, for pages of lower apps ("My ST") that may not import this one."""

from __future__ import annotations

from typing import Any

from django import template

from stportal.accounts.models import TraineeProfile
from stportal.portfolio import selectors
from stportal.portfolio.summaries import summary_lines

register = template.Library()


@register.inclusion_tag("portfolio/_coverage_summary.html")
def coverage_summary(profile: TraineeProfile) -> dict[str, Any]:
    return {"profile": profile, "summary": summary_lines(selectors.coverage_for(profile))}
