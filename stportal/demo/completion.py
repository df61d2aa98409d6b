"""Demo state of the completion pack (SPEC 5 P14): `stlakare` has marked the certificate of
attained specialist competence as to come (it is signed at the end of the ST). The pack then
lists her course certificates and her ST-day certificate with their Bilaga nr, and what is
still missing: the specialist competence, the mandatory subjects no certificate covers yet,
quality work and written work. Written through the service as `stlakare`; idempotent.
Socialstyrelsen's application form is not part of the demo (its forms are never shipped):
staff upload it on the application forms page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile
from stportal.completion import services
from stportal.completion.models import SummaryCertificate
from stportal.core.dates import start_of_day
from stportal.curricula.attachments import SPECIALIST_COMPETENCE


def load_completion(*, today: dt.date, counter: Callable[[str], None]) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user", "curriculum_version")
        .filter(user__username="stlakare")
        .first()
    )
    if trainee is None:
        return
    if SummaryCertificate.objects.filter(trainee=trainee, kind=SPECIALIST_COMPETENCE).exists():
        return
    services.keep_summary_certificate(
        actor=trainee.user,
        trainee=trainee,
        kind=SPECIALIST_COMPETENCE,
        now=start_of_day(today - dt.timedelta(days=2)),
    )
    counter("summary_certificates")
