"""What remains of a trainee's curriculum, in sentences a person reads (SPEC 5 P1): shared by
the record's pages and the summary on "My ST"."""

from __future__ import annotations

from django.utils.translation import ngettext

from stportal.curricula.coverage import Coverage


def summary_lines(coverage: Coverage) -> list[str]:
    """What remains, in sentences: mandatory subjects, then goals."""
    subjects = len(coverage.remaining_subjects)
    goals = len(coverage.remaining_goals)
    lines = []
    if coverage.subjects:
        lines.append(
            ngettext(
                "%(count)d of %(total)d mandatory subjects remains.",
                "%(count)d of %(total)d mandatory subjects remain.",
                subjects,
            )
            % {"count": subjects, "total": len(coverage.subjects)}
        )
    if coverage.goals:
        lines.append(
            ngettext(
                "%(count)d of %(total)d goals remains.",
                "%(count)d of %(total)d goals remain.",
                goals,
            )
            % {"count": goals, "total": len(coverage.goals)}
        )
    return lines
