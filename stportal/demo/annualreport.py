"""Demo annual reports (SPEC 5 P13), written through the services as the demo's people, with
their instants in the past relative to today:

- last year's report for `stlakare`, assembled by her in December, her reflection and
  `handledare`'s assessment written, marked ready for review by `handledare` and reviewed by
  `studierektor`;
- this year's report in draft, assembled today with her reflection written, waiting for
  `handledare`'s assessment.

A second load changes nothing: each is made only when `stlakare` has no report for its year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile, User
from stportal.annualreport import services
from stportal.annualreport.models import AnnualReport
from stportal.core.dates import start_of_day

LAST_REFLECTION = (
    "Det här året har jag blivit tryggare i att handlägga akuta besök på vårdcentralen och i "
    "att prioritera när flera patienter väntar. Kursveckan om etik och ledarskap gav mig "
    "verktyg som jag använder i teamträffarna.\n"
    "Att utveckla: läkemedelsgenomgångar hos äldre och att avgränsa besök med många besvär.\n"
    "Mål för nästa år: påbörja det självständiga skriftliga arbetet och sidotjänstgöringen i "
    "psykiatri."
)
LAST_ASSESSMENT = (
    "Sara Berglund har under året utvecklats väl mot självständighet i allmänmedicinens breda "
    "uppdrag. Hon tar god anamnes, dokumenterar tydligt och samarbetar väl i teamet.\n"
    "Inför nästa år bör hon fokusera på läkemedelsgenomgångar och på att planera det "
    "vetenskapliga arbetet tillsammans med forskningshandledaren."
)
THIS_REFLECTION = (
    "Hittills i år har jag haft egen mottagning fyra dagar i veckan och börjat leda "
    "teamträffar. Det som gått bäst är samverkan med hemsjukvården.\n"
    "Att utveckla: handläggning av barn med feber och att våga avsluta kontakter.\n"
    "Mål för nästa år: bli klar med det skriftliga arbetet."
)

Counter = Callable[[str], None]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return start_of_day(day) + dt.timedelta(hours=hour)


def load_annual_reports(*, today: dt.date, counter: Counter) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user", "home_unit", "supervisor")
        .filter(user__username="stlakare", supervisor__username="handledare")
        .first()
    )
    director = User.objects.filter(username="studierektor").first()
    if trainee is None or trainee.supervisor is None or director is None:
        return
    me, supervisor = trainee.user, trainee.supervisor
    last = today.year - 1
    if not AnnualReport.objects.filter(trainee=trainee, year=last).exists():
        december = dt.date(last, 12, 1)
        report = services.create_report(
            actor=me, trainee=trainee, year=last, now=_at(december + dt.timedelta(days=9), 9)
        )
        report = services.write_part(
            actor=me,
            report=report,
            text=LAST_REFLECTION,
            now=_at(december + dt.timedelta(days=9), 10),
        )
        report = services.write_part(
            actor=supervisor,
            report=report,
            text=LAST_ASSESSMENT,
            now=_at(december + dt.timedelta(days=12), 14),
        )
        report = services.submit_report(
            actor=supervisor, report=report, now=_at(december + dt.timedelta(days=12), 15)
        )
        services.review_report(
            actor=director,
            report=report,
            accepted=True,
            now=_at(december + dt.timedelta(days=16), 11),
        )
        counter("annual_reports")
    if not AnnualReport.objects.filter(trainee=trainee, year=today.year).exists():
        # Assembled this morning (or on 1 January at the earliest).
        morning = _at(today, 8)
        report = services.create_report(actor=me, trainee=trainee, year=today.year, now=morning)
        services.write_part(
            actor=me, report=report, text=THIS_REFLECTION, now=morning + dt.timedelta(minutes=20)
        )
        counter("annual_reports")
