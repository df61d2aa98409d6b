"""Writes on funding applications (ST-medel, SPEC 5 P3): apply, decide, attach the course
certificate. Each refuses on its own (`funding.permissions`), locks what it changes, and is
audited in its transaction; the trainee is told of the decision by e-mail after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.catalogue.models import ExternalCourse
from stportal.catalogue.selectors import provider_is_preferred
from stportal.core import audit, bounds
from stportal.core.errors import PermissionDenied, ServiceError, ValidationFailed
from stportal.curricula.models import Goal, MandatorySubject
from stportal.funding import notify, permissions, uploads
from stportal.funding.models import (
    MAX_COST,
    MAX_COST_ITEMS,
    CostKind,
    FundingApplication,
    FundingCost,
    FundingStatus,
)

FIELDS = (
    "trainee_id",
    "region_id",
    "area_id",
    "course_id",
    "course_title",
    "provider",
    "start_date",
    "end_date",
    "place",
    "motivation",
    "other_provider",
    "exception_reason",
    "status",
    "submitted_by_id",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "decision_comment",
    "certificate_filename",
    "certificate_size",
    "certificate_sha256",
    "certificate_uploaded_at",
)


def snapshot(application: FundingApplication) -> dict:
    data = audit.snapshot(application, FIELDS)
    data["costs"] = [{"kind": cost.kind, "amount": cost.amount} for cost in application.costs.all()]
    data["goals"] = sorted(application.goals.values_list("code", flat=True))
    data["subjects"] = sorted(application.subjects.values_list("pk", flat=True))
    return data


@dataclass(frozen=True)
class Cost:
    kind: str
    amount: int


def _text_problem(value: str, max_length: int, required: bool) -> str | None:
    if bounds.NUL in value:
        return bounds.nul_message()
    if required and not value.strip():
        return _("This field is required.")
    if len(value) > max_length:
        return _("At most %(count)d characters.") % {"count": max_length}
    return None


def _check_costs(costs: Sequence[Cost]) -> list[str]:
    if not costs:
        return [_("Add at least one cost item.")]
    if len(costs) > MAX_COST_ITEMS:
        return [_("At most %(count)d cost items.") % {"count": MAX_COST_ITEMS}]
    problems = []
    for cost in costs:
        if cost.kind not in CostKind.values:
            problems.append(_("Choose a course fee, travel, lodging or other."))
        if not isinstance(cost.amount, int) or not 1 <= cost.amount <= MAX_COST:
            problems.append(
                _("Give each amount in whole SEK, from 1 to %(max)d.") % {"max": MAX_COST}
            )
    return sorted(set(problems))


def _resolve_goals(profile: TraineeProfile, codes: Iterable[str]) -> tuple[list[Goal], list[str]]:
    wanted = sorted({code.strip() for code in codes if code.strip()})
    if not wanted:
        return [], []
    found = list(
        Goal.objects.filter(
            Q(specialty__isnull=True) | Q(specialty_id=profile.specialty_id),
            version_id=profile.curriculum_version_id,
            code__in=wanted,
        )
    )
    known = {goal.code for goal in found}
    unknown = [code for code in wanted if code not in known]
    return found, unknown


def _resolve_subjects(
    profile: TraineeProfile, ids: Iterable[int]
) -> tuple[list[MandatorySubject], list[int]]:
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return [], []
    found = list(
        MandatorySubject.objects.filter(
            pk__in=[i for i in wanted if 1 <= i <= bounds.MAX_ID],
            specialty_id=profile.specialty_id,
            version_id=profile.curriculum_version_id,
        )
    )
    known = {subject.pk for subject in found}
    return found, [i for i in wanted if i not in known]


def submit_application(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    costs: Sequence[Cost],
    course_title: str = "",
    provider: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    place: str = "",
    motivation: str = "",
    goal_codes: Iterable[str] | None = None,
    subject_ids: Iterable[int] | None = None,
    course: ExternalCourse | None = None,
    now: dt.datetime | None = None,
) -> FundingApplication:
    """A trainee's application for funds for a course, waiting for the study director (P3).

    1. The trainee for themself, or staff of the region on their behalf.
    2. A catalogue course of the trainee's region fills in what is not given (title,
       provider, dates, place, goals, subjects).
    3. Goals of the trainee's curriculum version, subjects of their specialty; at least one
       cost item, each of a known kind and whole SEK within bounds.
    4. Whether the provider is one of the region's preferred providers is noted: approving
       an other provider needs the study director's exception.
    """
    now = now or timezone.now()
    if not permissions.may_apply(actor, trainee):
        raise PermissionDenied(_("You may apply for funds only for yourself."))
    profile = TraineeProfile.objects.select_related("home_unit").get(pk=trainee.pk)
    region_id = profile.home_unit.region_id
    errors: dict[str, list[str]] = {}
    if course is not None:
        if course.provider.region_id != region_id:
            errors["course_id"] = [_("Choose a course of your region's catalogue.")]
        else:
            course_title = course_title.strip() or course.title
            provider = provider.strip() or course.provider.name
            start_date = start_date or course.start_date
            end_date = end_date or course.end_date
            place = place.strip() or course.place
            if goal_codes is None:
                goal_codes = [
                    g.code
                    for g in course.goals.all()
                    if g.version_id == profile.curriculum_version_id
                ]
            if subject_ids is None:
                subject_ids = [
                    s.pk
                    for s in course.subjects.all()
                    if s.specialty_id == profile.specialty_id
                    and s.version_id == profile.curriculum_version_id
                ]
    for name, value, length, required in (
        ("course_title", course_title, 200, True),
        ("provider", provider, 200, True),
        ("place", place, 200, False),
        ("motivation", motivation, bounds.NOTE_MAX_LENGTH, False),
    ):
        problem = _text_problem(value, length, required)
        if problem:
            errors[name] = [problem]
    if start_date is None:
        errors["start_date"] = [_("Enter the course's first day.")]
    elif not bounds.MIN_DATE <= start_date <= bounds.MAX_DATE:
        errors["start_date"] = [bounds.date_message()]
    if end_date is not None:
        if not bounds.MIN_DATE <= end_date <= bounds.MAX_DATE:
            errors["end_date"] = [bounds.date_message()]
        elif start_date is not None and end_date < start_date:
            errors["end_date"] = [_("The last day is before the first.")]
    cost_problems = _check_costs(costs)
    if cost_problems:
        errors["costs"] = cost_problems
    goals, unknown_goals = _resolve_goals(profile, goal_codes or [])
    if unknown_goals:
        errors["goals"] = [
            _("Not goals of the trainee's curriculum: %(codes)s.")
            % {"codes": ", ".join(unknown_goals)}
        ]
    subjects, unknown_subjects = _resolve_subjects(profile, subject_ids or [])
    if unknown_subjects:
        errors["subject_ids"] = [_("Not mandatory subjects of the trainee's specialty.")]
    if errors:
        raise ValidationFailed(errors)
    assert start_date is not None
    provider = provider.strip()
    with transaction.atomic():
        application = FundingApplication.objects.create(
            trainee=profile,
            region_id=region_id,
            area_id=profile.home_unit.area_id,
            course=course if course is not None else None,
            course_title=course_title.strip(),
            provider=provider,
            start_date=start_date,
            end_date=end_date,
            place=place.strip(),
            motivation=motivation.strip(),
            other_provider=not provider_is_preferred(region_id=region_id, name=provider),
            status=FundingStatus.SUBMITTED,
            submitted_by=actor,
            submitted_at=now,
        )
        FundingCost.objects.bulk_create(
            FundingCost(application=application, kind=cost.kind, amount=cost.amount)
            for cost in costs
        )
        application.goals.set(goals)
        application.subjects.set(subjects)
        audit.record(
            actor=actor,
            action="funding_application.submitted",
            obj=application,
            after=snapshot(application),
        )
    return application


def _already_decided() -> ServiceError:
    return ServiceError("already_decided", _("This application has already been decided."))


def decide_application(
    *,
    actor: User | None,
    application: FundingApplication,
    approved: bool,
    comment: str = "",
    exception_reason: str = "",
    now: dt.datetime | None = None,
) -> FundingApplication:
    """The study director approves or rejects a submitted application with a comment (P3).

    1. Only who may direct the trainee's record (`may_decide`); never the trainee.
    2. Approving a course of an other provider needs the exception's reason (422).
    3. Compare-and-swap from submitted: a second decision answers 409 `already_decided`.
    4. Audited; the trainee is told by e-mail after commit.
    """
    now = now or timezone.now()
    if not permissions.may_decide(actor, application):
        raise PermissionDenied(_("Only the trainee's study director may decide this application."))
    comment = comment.strip()
    exception_reason = exception_reason.strip()
    errors: dict[str, list[str]] = {}
    for name, value in (("comment", comment), ("exception_reason", exception_reason)):
        problem = _text_problem(value, bounds.NOTE_MAX_LENGTH, False)
        if problem:
            errors[name] = [problem]
    if not approved and not comment:
        errors.setdefault("comment", [_("Say why the application is rejected.")])
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        current = FundingApplication.objects.select_for_update().get(pk=application.pk)
        if current.status != FundingStatus.SUBMITTED:
            raise _already_decided()
        other = not provider_is_preferred(region_id=current.region_id, name=current.provider)
        if approved and other and not exception_reason:
            raise ValidationFailed(
                {
                    "exception_reason": [
                        _(
                            "%(provider)s is not one of the region's preferred providers: give "
                            "the reason for the exception to approve it."
                        )
                        % {"provider": current.provider}
                    ]
                },
                message=_("Approving a course of an other provider needs an exception."),
            )
        before = snapshot(current)
        status = FundingStatus.APPROVED if approved else FundingStatus.REJECTED
        swapped = FundingApplication.objects.filter(
            pk=current.pk, status=FundingStatus.SUBMITTED
        ).update(
            status=status,
            decided_by=actor,
            decided_at=now,
            decision_comment=comment,
            other_provider=other,
            exception_reason=exception_reason if approved and other else "",
        )
        if swapped != 1:
            raise _already_decided()
        current.refresh_from_db()
        audit.record(
            actor=actor,
            action=f"funding_application.{status}",
            obj=current,
            before=before,
            after=snapshot(current),
            reason=comment,
        )
        notify.decision_made(current)
    return current


def attach_certificate(
    *,
    actor: User | None,
    application: FundingApplication,
    data: bytes,
    filename: str = "",
    now: dt.datetime | None = None,
) -> FundingApplication:
    """The trainee attaches the course certificate of an approved application (P3): a checked,
    size-capped PDF, kept stripped of anything active. A new one replaces the old (audited).
    An approved application with its certificate counts in coverage."""
    now = now or timezone.now()
    if not permissions.may_attach_certificate(actor, application):
        raise PermissionDenied(_("Only the trainee attaches the course certificate."))
    if application.status != FundingStatus.APPROVED:
        raise ServiceError(
            "not_approved", _("A certificate is attached to an approved application only.")
        )
    kept = uploads.checked_pdf(data)
    name = filename.replace(bounds.NUL, "").strip()[:200]
    with transaction.atomic():
        current = FundingApplication.objects.select_for_update().get(pk=application.pk)
        if current.status != FundingStatus.APPROVED:
            raise ServiceError(
                "not_approved", _("A certificate is attached to an approved application only.")
            )
        before = audit.snapshot(current, FIELDS)
        current.certificate_pdf = kept
        current.certificate_filename = name
        current.certificate_size = len(kept)
        current.certificate_sha256 = hashlib.sha256(data).hexdigest()
        current.certificate_uploaded_at = now
        current.certificate_uploaded_by = actor
        current.save(
            update_fields=[
                "certificate_pdf",
                "certificate_filename",
                "certificate_size",
                "certificate_sha256",
                "certificate_uploaded_at",
                "certificate_uploaded_by",
            ]
        )
        audit.record(
            actor=actor,
            action="funding_application.certificate_attached",
            obj=current,
            before=before,
            after=audit.snapshot(current, FIELDS),
        )
    return current
