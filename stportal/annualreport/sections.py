"""The sections of the annual report (SPEC 5 P13) for what sits below this app: the year's
course weeks with their results and attendance, course certificates, ST-day certificates,
funded external courses, and supervisor statements reviewed in the year. Registered with
`stportal.core.yearly` in `AppConfig.ready()`; other apps register placements, secondments,
assessments and study time.

Each source answers in one query whatever the number of rows; lines are in the active
language, dates ISO (as the rest of the product prints them).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stportal.certificates.models import Certificate, CertificateState
from stportal.core.dates import end_of_day, local_date, start_of_day
from stportal.core.yearly import YearSection
from stportal.funding.models import FundingApplication, FundingStatus
from stportal.registrations.models import LineStatus, RegistrationLine
from stportal.statements import workflow
from stportal.statements.models import SupervisorStatement
from stportal.stdays.models import StDayCertificate

# A course week counts in the year when the trainee held a seat in it.
SEATED = (
    LineStatus.CONFIRMED,
    LineStatus.PASSED,
    LineStatus.NOT_PASSED,
    LineStatus.INCOMPLETE,
    LineStatus.NO_SHOW,
)


def _span(first: dt.date, last: dt.date | None) -> str:
    if last is None or last == first:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


def _instants(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The year's first and last instant in Stockholm."""
    return start_of_day(start), end_of_day(end)


def course_weeks(trainee_id: int, start: dt.date, end: dt.date) -> YearSection:
    """The course weeks of the year the trainee held a seat in, each course with its result
    and the days present of the days recorded."""
    rows = (
        RegistrationLine.objects.filter(
            registration__trainee_id=trainee_id,
            status__in=SEATED,
            course__week__start_date__lte=end,
            course__week__end_date__gte=start,
        )
        .annotate(
            present=Count("attendance_records", filter=Q(attendance_records__present=True)),
            recorded=Count("attendance_records"),
        )
        .values_list(
            "status",
            "course__title",
            "course__week__title",
            "course__week__start_date",
            "course__week__end_date",
            "present",
            "recorded",
        )
        .order_by("course__week__start_date", "course__position", "course_id")
    )
    labels = dict(LineStatus.choices)
    lines = []
    for status, title, week, first, last, present, recorded in rows:
        line = _("%(dates)s: %(course)s (%(week)s), %(result)s") % {
            "dates": _span(first, last),
            "course": title,
            "week": week,
            "result": labels.get(status, status),
        }
        if recorded:
            line += "; " + _("present %(present)d of %(days)d days") % {
                "present": present,
                "days": recorded,
            }
        lines.append(line)
    return YearSection(
        key="course_weeks",
        title=_("Course weeks and results"),
        lines=lines,
        order=20,
        empty_text=_("No course weeks this year."),
    )


def course_certificates(trainee_id: int, start: dt.date, end: dt.date) -> YearSection:
    """The course certificates issued in the year and not revoked."""
    first, last = _instants(start, end)
    rows = (
        Certificate.objects.filter(
            line__registration__trainee_id=trainee_id, issued_at__range=(first, last)
        )
        .exclude(state=CertificateState.REVOKED)
        .values_list("issued_at", "line__course__title", "line__course__week__title")
        .order_by("issued_at", "pk")
    )
    lines = [
        _("%(date)s: %(course)s (%(week)s)")
        % {"date": local_date(issued).isoformat(), "course": title, "week": week}
        for issued, title, week in rows
    ]
    return YearSection(
        key="course_certificates",
        title=_("Course certificates"),
        lines=lines,
        order=30,
        empty_text=_("No course certificates issued this year."),
    )


def st_day_certificates(trainee_id: int, start: dt.date, end: dt.date) -> YearSection:
    """The ST-day certificates issued in the year and not revoked, with their goals."""
    first, last = _instants(start, end)
    rows = (
        StDayCertificate.objects.filter(
            trainee_id=trainee_id, issued_at__range=(first, last), revoked_at__isnull=True
        )
        .values_list("first_day", "last_day", "title", "goal_codes")
        .order_by("first_day", "pk")
    )
    lines = []
    for first_day, last_day, title, goals in rows:
        line = _("%(dates)s: %(title)s") % {"dates": _span(first_day, last_day), "title": title}
        if goals:
            line += " " + _("(goals %(goals)s)") % {"goals": ", ".join(str(g) for g in goals)}
        lines.append(line)
    return YearSection(
        key="st_days",
        title=_("ST-day certificates"),
        lines=lines,
        order=32,
        empty_text=_("No ST-day certificates this year."),
    )


def funded_courses(trainee_id: int, start: dt.date, end: dt.date) -> YearSection:
    """External courses with approved funding (ST-medel) that start in the year."""
    rows = (
        FundingApplication.objects.filter(
            trainee_id=trainee_id,
            status=FundingStatus.APPROVED,
            start_date__range=(start, end),
        )
        .values_list(
            "start_date", "end_date", "course_title", "provider", "certificate_uploaded_at"
        )
        .order_by("start_date", "pk")
    )
    lines = []
    for first, last, title, provider, certificate in rows:
        line = _("%(dates)s: %(course)s, %(provider)s") % {
            "dates": _span(first, last),
            "course": title,
            "provider": provider,
        }
        if certificate is not None:
            line += "; " + _("certificate attached")
        lines.append(line)
    return YearSection(
        key="funded_courses",
        title=_("External courses with funding"),
        lines=lines,
        order=35,
        empty_text=_("No funded external courses this year."),
    )


def reviewed_statements(trainee_id: int, start: dt.date, end: dt.date) -> YearSection:
    """The supervisor statements the study director marked reviewed in the year."""
    first, last = _instants(start, end)
    rows = (
        SupervisorStatement.objects.filter(
            trainee_id=trainee_id,
            status=workflow.REVIEWED,
            reviewed_at__range=(first, last),
        )
        .values_list(
            "reviewed_at",
            "supervisor__first_name",
            "supervisor__last_name",
            "period_from",
            "period_to",
        )
        .order_by("reviewed_at", "pk")
    )
    lines = []
    for reviewed, first_name, last_name, period_from, period_to in rows:
        if reviewed is None:  # never: the filter asks for a review in the year
            continue
        name = f"{first_name} {last_name}".strip()
        if period_from:
            line = _("Reviewed %(date)s: statement by %(name)s for %(period)s") % {
                "date": local_date(reviewed).isoformat(),
                "name": name,
                "period": _span(period_from, period_to),
            }
        else:
            line = _("Reviewed %(date)s: statement by %(name)s") % {
                "date": local_date(reviewed).isoformat(),
                "name": name,
            }
        lines.append(line)
    return YearSection(
        key="statements",
        title=_("Supervisor statements"),
        lines=lines,
        order=60,
        empty_text=_("No supervisor statements reviewed this year."),
    )
