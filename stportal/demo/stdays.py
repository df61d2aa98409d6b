"""Demo state of the ST-day certificates (SPEC 5 P4): `handledare` has examined `stlakare` on
an ST-day about child health care and issued its certificate for the mandatory subject
"BVC, barnmedicin", which the region's course programme does not cover, so `stlakare`'s
coverage is partly filled from it. Written through the service as `handledare`; idempotent
(a trainee holding a valid certificate for the subject gets no second one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile, User
from stportal.core.dates import start_of_day
from stportal.curricula.models import MandatorySubject
from stportal.stdays import services
from stportal.stdays.models import StDayCertificate

SUBJECT = "BVC, barnmedicin"
TITLE = "ST-dag: Barnhälsovård på vårdcentralen"
PLACE = "Folkets hus, Umeå"
DESCRIPTION = (
    "Föreläsningar om barnhälsovårdens basprogram, tillväxt och utveckling, vaccinationer, "
    "föräldrastöd och samverkan med BVC-sjuksköterskan och barnmedicin."
)
EXAMINATION = (
    "Fallseminarium med handledaren om tre BVC-besök och en genomgång av barnhälsovårdens "
    "basprogram."
)


def load_stdays(*, today: dt.date, counter: Callable[[str], None]) -> None:
    trainee = (
        TraineeProfile.objects.select_related("supervisor", "specialty", "curriculum_version")
        .filter(user__username="stlakare", supervisor__username="handledare")
        .first()
    )
    if trainee is None or trainee.supervisor is None:
        return
    subject = MandatorySubject.objects.filter(
        specialty_id=trainee.specialty_id,
        version_id=trainee.curriculum_version_id,
        name=SUBJECT,
    ).first()
    if subject is None:
        return
    if StDayCertificate.objects.filter(
        trainee=trainee, subject=subject, revoked_at__isnull=True
    ).exists():
        return
    # The supervisor's specialty goes in the certifier's block of the certificate.
    User.objects.filter(pk=trainee.supervisor.pk, specialist_in=None).update(
        specialist_in=trainee.specialty
    )
    trainee.supervisor.refresh_from_db(fields=["specialist_in"])
    services.issue_st_day_certificate(
        actor=trainee.supervisor,
        trainee=trainee,
        subject=subject,
        title=TITLE,
        first_day=today - dt.timedelta(days=21),
        place=PLACE,
        description=DESCRIPTION,
        examined_on=today - dt.timedelta(days=14),
        examination=EXAMINATION,
        now=start_of_day(today - dt.timedelta(days=14)) + dt.timedelta(hours=15),
    )
    counter("st_day_certificates")
