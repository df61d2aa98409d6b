"""ST-day certificates: every write (SPEC 5 P4).

1. `issue_st_day_certificate`: the trainee's own supervisor records the examination of an
   ST-day that corresponds to a mandatory subject of the trainee's curriculum, and issues its
   certificate; the trainee is told by e-mail.
2. `revoke_st_day_certificate`: the supervisor who issued it, or staff of the region, revokes
   it with a reason; it no longer counts in coverage and its verification says revoked.

Both lock the trainee's profile first (the record's parent row) and audit in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stportal.accounts.models import TraineeProfile, User
from stportal.certificates import lifecycle
from stportal.certificates.services import current_form
from stportal.core import audit, bounds
from stportal.core.dates import local_date
from stportal.core.errors import NotFound, ServiceError, ValidationFailed
from stportal.curricula.models import MandatorySubject
from stportal.stdays import notify, permissions
from stportal.stdays.documents import place_and_date
from stportal.stdays.models import (
    DESCRIPTION_MAX_LENGTH,
    EXAMINATION_MAX_LENGTH,
    GOAL_CODE_MAX_LENGTH,
    MAX_GOALS,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    StDayCertificate,
)

SNAPSHOT_FIELDS = (
    "trainee_id",
    "subject_id",
    "title",
    "first_day",
    "last_day",
    "place",
    "goal_codes",
    "examined_on",
    "examination",
    "version",
    "form_id",
    "verification_code",
    "issued_at",
    "issued_by_id",
    "revoked_at",
    "revoked_by_id",
    "revoke_reason",
)


def _snapshot(certificate: StDayCertificate) -> dict[str, Any]:
    return audit.snapshot(certificate, SNAPSHOT_FIELDS)


def _text_problem(value: str, limit: int) -> str | None:
    if bounds.NUL in value:
        return bounds.nul_message()
    if len(value) > limit:
        return _("Write at most %(limit)s characters.") % {"limit": limit}
    return None


def _check_day(errors: dict[str, list[str]], name: str, day: dt.date | None) -> None:
    if day is None:
        errors[name] = [_("Enter a date.")]
    elif not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
        errors[name] = [_("Enter a date between 2000 and 2100.")]


def _goal_codes(
    subject: MandatorySubject, named: Sequence[str], errors: dict[str, list[str]]
) -> list[str]:
    """The certificate's goals: the subject's own, or, for a subject whose goals are not
    numbered (a specialty's "c" subjects), those the supervisor names (the subject's note,
    such as "c", when none is named)."""
    own = [goal.code for goal in sorted(subject.goals.all(), key=lambda g: (g.position, g.code))]
    cleaned: list[str] = []
    for code in named:
        code = code.strip()
        if code and code not in cleaned:
            cleaned.append(code)
    if own:
        if cleaned and set(cleaned) != set(own):
            errors["goal_codes"] = [
                _("This subject's goals are given by the curriculum: %(goals)s.")
                % {"goals": ", ".join(own)}
            ]
        return own
    if len(cleaned) > MAX_GOALS or any(
        len(code) > GOAL_CODE_MAX_LENGTH or bounds.NUL in code for code in cleaned
    ):
        errors["goal_codes"] = [_("Name the goals by their codes, for example c1, c2.")]
        return []
    if cleaned:
        return cleaned
    return [subject.goal_note] if subject.goal_note else []


def _subject_of(profile: TraineeProfile, subject: MandatorySubject | int | None):
    subject_id = subject.pk if isinstance(subject, MandatorySubject) else subject
    if subject_id is None:
        return None
    return (
        MandatorySubject.objects.filter(
            pk=subject_id,
            specialty_id=profile.specialty_id,
            version_id=profile.curriculum_version_id,
        )
        .prefetch_related("goals")
        .first()
    )


def issue_st_day_certificate(
    *,
    actor: User | None,
    trainee: TraineeProfile,
    subject: MandatorySubject | int | None,
    title: str = "",
    first_day: dt.date | None,
    last_day: dt.date | None = None,
    place: str = "",
    description: str = "",
    examined_on: dt.date | None,
    examination: str,
    goal_codes: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> StDayCertificate:
    """The supervisor records the examination of an ST-day and issues its certificate.

    1. Only the trainee's own supervisor (403 to others who read the record, 404 to the rest).
    2. The subject must be a mandatory subject of the trainee's specialty and curriculum
       version (422 `subject` otherwise); the certificate's goals are the subject's.
    3. The day is not in the future, the last day not before the first, the examination on or
       after the first day and not in the future; how it was examined is required.
    4. The content (names, personal identity number, specialty, the supervisor's block) and
       the form of the trainee's version are fixed now; audited; the trainee is told by
       e-mail after commit.
    """
    now = now or timezone.now()
    today = local_date(now)
    permissions.check_may_issue(actor, trainee)
    assert actor is not None  # only a supervisor passes the check
    with transaction.atomic():
        profile = (
            TraineeProfile.objects.select_for_update()
            .select_related("user", "home_unit__region", "specialty", "curriculum_version")
            .get(pk=trainee.pk)
        )
        permissions.check_may_issue(actor, profile)  # the supervisor may have changed meanwhile
        errors: dict[str, list[str]] = {}
        found = _subject_of(profile, subject)
        if found is None:
            errors["subject"] = [_("Choose one of the trainee's mandatory subjects.")]
        title = (title or "").strip() or (found.name if found is not None else "")
        last_day = last_day or first_day
        _check_day(errors, "first_day", first_day)
        _check_day(errors, "last_day", last_day)
        _check_day(errors, "examined_on", examined_on)
        if "first_day" not in errors and first_day is not None and first_day > today:
            errors["first_day"] = [_("The ST-day has not taken place yet.")]
        if (
            "last_day" not in errors
            and last_day is not None
            and first_day is not None
            and last_day < first_day
        ):
            errors["last_day"] = [_("The last day is before the first.")]
        if "examined_on" not in errors and examined_on is not None:
            if examined_on > today:
                errors["examined_on"] = [_("The examination date has not come yet.")]
            elif first_day is not None and examined_on < first_day:
                errors["examined_on"] = [_("The examination is before the ST-day.")]
        for name, value, limit in (
            ("title", title, TITLE_MAX_LENGTH),
            ("place", place, PLACE_MAX_LENGTH),
            ("description", description, DESCRIPTION_MAX_LENGTH),
            ("examination", examination, EXAMINATION_MAX_LENGTH),
        ):
            problem = _text_problem(value, limit)
            if problem:
                errors[name] = [problem]
        if not title and "title" not in errors:
            errors["title"] = [_("Give the subject heading.")]
        if not examination.strip() and "examination" not in errors:
            errors["examination"] = [_("Say how the trainee was examined.")]
        codes = _goal_codes(found, list(goal_codes), errors) if found is not None else []
        if errors:
            raise ValidationFailed(errors)
        assert found is not None and first_day is not None and last_day is not None
        assert examined_on is not None
        version = profile.curriculum_version.code
        unit = profile.home_unit
        region = unit.region
        user = profile.user
        specialist_in = actor.specialist_in
        content = {
            "last_name": user.last_name or user.display_name,
            "first_name": user.first_name,
            "personal_id": profile.personal_id,
            "specialty": profile.specialty.name,
            "certifier_name": actor.display_name,
            "certifier_specialty": specialist_in.name if specialist_in is not None else "",
            "certifier_workplace": f"{unit.name}, {region.name}",
            "place_and_date": place_and_date(place, region.name, today),
            "issued_on": today.isoformat(),
        }
        certificate = StDayCertificate.objects.create(
            trainee=profile,
            subject=found,
            title=title,
            first_day=first_day,
            last_day=last_day,
            place=place.strip(),
            description=description.strip(),
            goal_codes=codes,
            examined_on=examined_on,
            examination=examination.strip(),
            version=version,
            form=current_form(version, region.pk),
            content=content,
            verification_code=lifecycle.new_verification_code(),
            issued_at=now,
            issued_by=actor,
        )
        audit.record(
            actor=actor,
            action="st_day_certificate.issued",
            obj=certificate,
            after=_snapshot(certificate),
        )
        notify.certificate_issued(certificate)
    return certificate


def revoke_st_day_certificate(
    *,
    actor: User | None,
    certificate: StDayCertificate,
    reason: str,
    now: dt.datetime | None = None,
) -> StDayCertificate:
    """Revoke a certificate with a reason: the supervisor who issued it, or staff of the
    trainee's region. Compare-and-swap on "not yet revoked" (409 `already_revoked`)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    problem = _text_problem(reason, bounds.NOTE_MAX_LENGTH)
    if problem:
        raise ValidationFailed({"reason": [problem]})
    if not reason:
        raise ValidationFailed({"reason": [_("Write why the certificate is revoked.")]})
    with transaction.atomic():
        TraineeProfile.objects.select_for_update().filter(pk=certificate.trainee_id).first()
        current = (
            StDayCertificate.objects.select_related("trainee__home_unit", "trainee__user")
            .filter(pk=certificate.pk)
            .first()
        )
        if current is None:
            raise NotFound()
        permissions.check_may_revoke(actor, current)
        before = _snapshot(current)
        swapped = StDayCertificate.objects.filter(pk=current.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor, revoke_reason=reason
        )
        if swapped != 1:
            raise ServiceError("already_revoked", _("The certificate is already revoked."))
        current.revoked_at, current.revoked_by, current.revoke_reason = now, actor, reason
        audit.record(
            actor=actor,
            action="st_day_certificate.revoked",
            obj=current,
            before=before,
            after=_snapshot(current),
            reason=reason,
        )
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = now, actor, reason
    return certificate
