"""Reads of secondments, the training allowance and credited service (SPEC 5 P7–P9), through
the permission checks of `secondments.permissions`: what a caller may not see answers 404.
Also the period source (the timeline and the study-time rule) and the annual report's
section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stportal.accounts.models import TraineeProfile, User
from stportal.accounts.permissions import readable_trainees
from stportal.core import periods
from stportal.core.dates import local_date
from stportal.core.errors import NotFound
from stportal.core.yearly import YearSection
from stportal.secondments import allowance as allowance_rules
from stportal.secondments import permissions, rules
from stportal.secondments.models import (
    Allowance,
    MandatorySecondment,
    Secondment,
    SecondmentKind,
    ServiceCredit,
)


def get_trainee_for_user(user: User | None, trainee_id: int) -> TraineeProfile:
    """The trainee's record if `user` may read it, else 404."""
    profile = (
        readable_trainees(user)
        .select_related("user", "home_unit", "specialty", "curriculum_version")
        .filter(pk=trainee_id)
        .first()
    )
    if profile is None or not permissions.may_read(user, profile):
        raise NotFound()
    return profile


def trainees_for(user: User) -> QuerySet[TraineeProfile]:
    """The trainees whose plan `user` reads, themself excluded (the start page's list)."""
    return (
        readable_trainees(user)
        .exclude(user=user)
        .select_related("user", "specialty", "home_unit")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def kinds() -> list[SecondmentKind]:
    return list(SecondmentKind.objects.all())


def secondments_of(profile: TraineeProfile) -> QuerySet[Secondment]:
    return Secondment.objects.filter(trainee=profile).select_related("kind")


def required_kinds(profile: TraineeProfile) -> list[SecondmentKind]:
    """The kinds the trainee's specialty requires (of every version or of the trainee's)."""
    rows = (
        MandatorySecondment.objects.filter(specialty_id=profile.specialty_id)
        .filter(Q(version__isnull=True) | Q(version_id=profile.curriculum_version_id))
        .select_related("kind")
        .order_by("kind__position", "kind__name", "kind_id")
    )
    found: list[SecondmentKind] = []
    for row in rows:
        if row.kind not in found:
            found.append(row.kind)
    return found


@dataclass(frozen=True)
class Plan:
    secondments: list[Secondment]
    required: list[SecondmentKind]
    missing: list[SecondmentKind]


def plan_of(profile: TraineeProfile) -> Plan:
    """The trainee's secondments and the required kinds not yet planned (P7)."""
    secondments = list(secondments_of(profile))
    required = required_kinds(profile)
    by_code = {kind.code: kind for kind in required}
    missing = rules.missing_kinds(
        [kind.code for kind in required], {s.kind.code for s in secondments}
    )
    return Plan(secondments, required, [by_code[code] for code in missing])


@dataclass(frozen=True)
class AllowanceView:
    allowance: Allowance | None
    status: allowance_rules.AllowanceStatus


def allowance_of(
    profile: TraineeProfile, secondments: list[Secondment], today: dt.date | None = None
) -> AllowanceView:
    """The allowance as recorded and what the plan needs of it from today (P8)."""
    today = today or local_date(timezone.now())
    found = Allowance.objects.filter(trainee=profile).select_related("updated_by").first()
    status = allowance_rules.allowance_status(
        months_paid=found.months_paid if found else 0,
        secondment_months_paid=found.secondment_months_paid if found else 0,
        today=today,
        planned_completion=profile.planned_completion,
        secondments=[allowance_rules.Span(s.start_date, s.end_date) for s in secondments],
    )
    return AllowanceView(found, status)


def credits_of(profile: TraineeProfile) -> QuerySet[ServiceCredit]:
    """Every credit decision of the trainee, withdrawn ones too, newest first (P9)."""
    return ServiceCredit.objects.filter(trainee=profile).select_related(
        "decided_by", "withdrawn_by"
    )


def get_secondment_for_user(user: User | None, secondment_id: int) -> Secondment:
    found = (
        Secondment.objects.select_related(
            "kind", "trainee__user", "trainee__home_unit", "trainee__specialty"
        )
        .filter(pk=secondment_id)
        .first()
    )
    if found is None or not permissions.may_read(user, found.trainee):
        raise NotFound()
    return found


def get_credit_for_user(user: User | None, credit_id: int) -> ServiceCredit:
    found = (
        ServiceCredit.objects.select_related("trainee__user", "trainee__home_unit", "decided_by")
        .filter(pk=credit_id)
        .first()
    )
    if found is None or not permissions.may_read(user, found.trainee):
        raise NotFound()
    return found


def period_source(trainee_id: int) -> list[periods.Period]:
    """The trainee's secondments as periods of the ST (the timeline, the study-time rule).
    One query."""
    today = local_date(timezone.now())
    return [
        periods.Period(
            kind=periods.SECONDMENT,
            start=s.start_date,
            end=s.end_date,
            title=_("Secondment: %(kind)s, %(place)s") % {"kind": s.kind.label, "place": s.place},
            source="secondment",
            source_id=s.pk,
            planned=s.start_date > today,
        )
        for s in Secondment.objects.filter(trainee_id=trainee_id)
        .select_related("kind")
        .order_by("start_date", "pk")
    ]


def year_section(trainee_id: int, start: dt.date, end: dt.date) -> YearSection | None:
    """The annual report's section: the secondments that fall in the year, with their
    dates and places. One query."""
    rows = (
        Secondment.objects.filter(trainee_id=trainee_id, start_date__lte=end, end_date__gte=start)
        .select_related("kind")
        .order_by("start_date", "pk")
    )
    lines = []
    for s in rows:
        weeks = round(rules.weeks_between(s.start_date, s.end_date))
        lines.append(
            ngettext(
                "%(kind)s at %(place)s, %(start)s–%(end)s (%(weeks)s week)",
                "%(kind)s at %(place)s, %(start)s–%(end)s (%(weeks)s weeks)",
                weeks,
            )
            % {
                "kind": s.kind.label,
                "place": s.place,
                "start": s.start_date.isoformat(),
                "end": s.end_date.isoformat(),
                "weeks": weeks,
            }
        )
    return YearSection(
        key="secondments",
        title=_("Secondments"),
        lines=lines,
        order=30,
        empty_text=_("No secondments this year."),
    )
