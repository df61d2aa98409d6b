"""Demo state of competence assessments (SPEC 5 P12): `stlakare` has a Mini-CEX that her
assessor completed two weeks ago, and a CBD waiting for its assessor (the e-mail with the link
is in the outbox, which staff read in the back office). Written through the services as
`stlakare` and through the link; idempotent (a trainee with assessments gets no more)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import TraineeProfile
from stportal.assessments import selectors, services
from stportal.assessments.models import Assessment
from stportal.core.dates import start_of_day

ASSESSOR_NAME = "Karin Lindqvist"
ASSESSOR_EMAIL = "karin.lindqvist@example.org"
CBD_ASSESSOR_NAME = "Olof Sandberg"
CBD_ASSESSOR_EMAIL = "olof.sandberg@example.org"


def _pick(codes: list[str], wanted: list[str]) -> list[str]:
    found = [code for code in wanted if code in codes]
    return found or codes[:1]


def load_assessments(*, today: dt.date, counter: Callable[[str], None]) -> None:
    trainee = (
        TraineeProfile.objects.select_related("user", "home_unit", "curriculum_version")
        .filter(user__username="stlakare")
        .first()
    )
    if trainee is None or Assessment.objects.filter(trainee=trainee).exists():
        return
    codes = list(selectors.goals_of(trainee).values_list("code", flat=True))
    if not codes:
        return
    asked = start_of_day(today - dt.timedelta(days=20)) + dt.timedelta(hours=9)
    mini_cex = services.request_assessment(
        actor=trainee.user,
        trainee=trainee,
        kind="mini_cex",
        assessor_name=ASSESSOR_NAME,
        assessor_email=ASSESSOR_EMAIL,
        goal_codes=_pick(codes, ["b1", "b3"]),
        context="Mottagningsbesök: 58-årig man med nydebuterad bröstsmärta vid ansträngning.",
        now=asked,
    )
    assessed = today - dt.timedelta(days=14)
    services.complete_assessment_by_link(
        token=mini_cex.fresh_token,
        independence="supervision_on_request",
        feedback=(
            "Strukturerad anamnes och status, tydlig information till patienten. Tänk på att "
            "ta upp differentialdiagnoserna högt och att dokumentera riskbedömningen."
        ),
        goal_codes=mini_cex.goal_codes,
        assessed_on=assessed,
        now=start_of_day(assessed) + dt.timedelta(hours=16),
    )
    counter("assessments")
    services.request_assessment(
        actor=trainee.user,
        trainee=trainee,
        kind="cbd",
        assessor_name=CBD_ASSESSOR_NAME,
        assessor_email=CBD_ASSESSOR_EMAIL,
        goal_codes=_pick(codes, ["b3", "b4"]),
        context="Journalgenomgång: läkemedelsgenomgång hos en äldre patient med polyfarmaci.",
        now=start_of_day(today - dt.timedelta(days=3)) + dt.timedelta(hours=10),
    )
    counter("assessments")
