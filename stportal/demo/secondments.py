"""Demo state of secondments, the training allowance and credited service (SPEC 5 P7–P9):
`stlakare` has an internal-medicine secondment of the usual 16 weeks planned from a Monday
about two months from today, the mandatory psychiatry secondment not yet planned (shown as
missing), an allowance recorded by `studierektor` (queue position and months paid), and one
decision of `studierektor` crediting six months of prior service. Written through the services;
idempotent (nothing is added for a trainee who already has it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile, User
from stportal.core.dates import start_of_day
from stportal.secondments import services
from stportal.secondments.models import Allowance, Secondment, ServiceCredit

PLACE = "Medicinkliniken, Norrlands universitetssjukhus"
NOTE = "Avdelning 5 B, handledare på plats: överläkare Eva Lindqvist."
QUEUE_POSITION = 4
MONTHS_PAID = 44
SECONDMENT_MONTHS_PAID = 10
CREDIT_START = dt.date(2020, 3, 2)
CREDIT_END = dt.date(2021, 2, 26)
CREDIT_MONTHS = 6
CREDIT_COMMENT = (
    "Vikariat som underläkare på Hälsocentralen Ersboda före ST, under handledning av "
    "specialist i allmänmedicin. Hälften av tiden tillgodoräknas."
)


def load_secondments(*, today: dt.date, counter: Callable[[str], None]) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user", "home_unit")
        .filter(user__username="stlakare")
        .first()
    )
    director = User.objects.filter(username="studierektor").first()
    if trainee is None or director is None:
        return
    if not Secondment.objects.filter(trainee=trainee, kind__code="internal_medicine").exists():
        soon = today + dt.timedelta(days=60)
        monday = soon + dt.timedelta(days=(7 - soon.weekday()) % 7)
        services.plan_secondment(
            actor=trainee.user,
            trainee=trainee,
            kind="internal_medicine",
            place=PLACE,
            start_date=monday,
            note=NOTE,
            now=start_of_day(today - dt.timedelta(days=10)) + dt.timedelta(hours=9),
        )
        counter("secondments")
    if not Allowance.objects.filter(trainee=trainee).exists():
        services.record_allowance(
            actor=director,
            trainee=trainee,
            queue_position=QUEUE_POSITION,
            months_paid=MONTHS_PAID,
            secondment_months_paid=SECONDMENT_MONTHS_PAID,
            note="Enligt HR:s besked.",
            now=start_of_day(today - dt.timedelta(days=30)) + dt.timedelta(hours=11),
        )
        counter("allowances")
    if not ServiceCredit.objects.filter(trainee=trainee).exists():
        services.credit_prior_service(
            actor=director,
            trainee=trainee,
            period_start=CREDIT_START,
            period_end=CREDIT_END,
            months=CREDIT_MONTHS,
            comment=CREDIT_COMMENT,
            now=start_of_day(today - dt.timedelta(days=90)) + dt.timedelta(hours=14),
        )
        counter("service_credits")
