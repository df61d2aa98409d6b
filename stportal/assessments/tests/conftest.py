"""Fixtures of the competence assessment tests: a trainee in allmänmedicin 2015 with their
supervisor, another trainee, study directors of the trainee's area and of another area, and a
helper that starts an assessment through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress

from stportal.accounts.models import Role
from stportal.assessments import services
from stportal.core.dates import STOCKHOLM
from stportal.testing import factories

NOW = dt.datetime(2027, 4, 12, 10, 0, tzinfo=STOCKHOLM)
ASSESSOR_EMAIL = "bedomare@example.org"


@pytest.fixture
def area(region):
    return factories.AreaFactory(region=region, name="Område Norr")


@pytest.fixture
def other_area(region):
    return factories.AreaFactory(region=region, name="Område Söder")


@pytest.fixture
def unit(region, area):
    return factories.HomeUnitFactory(region=region, area=area, name="Hälsocentralen Ålidhem")


@pytest.fixture
def supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")


@pytest.fixture
def other_supervisor(region):
    return factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-annan")


@pytest.fixture
def study_director(region, area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-norr"
    )


@pytest.fixture
def other_study_director(region, other_area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=other_area, username="studierektor-soder"
    )


@pytest.fixture
def sara(unit, supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        user__username="sara-test",
        user__first_name="Sara",
        user__last_name="Berglund",
        user__email="sara@example.org",
        personal_id="198503152384",
    )


@pytest.fixture
def other_trainee(unit, other_supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=other_supervisor,
        user__username="goran-test",
        personal_id="199204101233",
    )


@pytest.fixture
def assessor_account(region):
    """A specialist with an account whose verified e-mail is the assessor's address."""
    user = factories.user_with_role(Role.SUPERVISOR, region=region, username="bedomare")
    user.email = ASSESSOR_EMAIL
    user.save()
    EmailAddress.objects.create(user=user, email=ASSESSOR_EMAIL, verified=True, primary=True)
    return user


def start(trainee, *, now=NOW, **changes):
    """An assessment started by the trainee through the service (the token on `fresh_token`)."""
    values = {
        "kind": "mini_cex",
        "assessor_name": "Bertil Bedömare",
        "assessor_email": ASSESSOR_EMAIL,
        "goal_codes": ["a1", "b1"],
        "context": "Konsultation om bröstsmärta på vårdcentralen.",
    }
    values.update(changes)
    return services.request_assessment(actor=trainee.user, trainee=trainee, now=now, **values)


def judgement(**changes):
    values = {
        "independence": "supervision_on_request",
        "feedback": "Strukturerad anamnes; tänk på differentialdiagnoserna.",
        "goal_codes": ["a1", "b1"],
        "assessed_on": dt.date(2027, 4, 12),
    }
    values.update(changes)
    return values
