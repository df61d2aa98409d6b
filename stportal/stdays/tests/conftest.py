"""Fixtures of the ST-day certificate tests: a trainee in allmänmedicin 2015 (and one in 2021)
with their supervisor, another supervisor, and study directors of the trainee's area and of
another area."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stportal.accounts.models import Role
from stportal.core.dates import STOCKHOLM
from stportal.curricula.models import CurriculumVersion, MandatorySubject, Specialty
from stportal.stdays import services
from stportal.testing import factories

NOW = dt.datetime(2027, 4, 12, 10, 0, tzinfo=STOCKHOLM)
DAY = dt.date(2027, 4, 7)

REPO_ROOT = Path(__file__).resolve().parents[3]
FORMS_DIR = REPO_ROOT / ".." / "shared" / "reference" / "forms"
FORM_FILES = {
    "2015": "sosfs-2015-8-bilaga-5-kurs.pdf",
    "2021": "hslf-fs-2021-8-bilaga-10-kurs.pdf",
}


def reference_form(version: str) -> bytes:
    path = FORMS_DIR / FORM_FILES[version]
    if not path.is_file():
        pytest.skip(
            f"Socialstyrelsen's {version} course form is not at ../shared/reference/forms/ "
            "beside the repository (the forms are not shipped with the product)"
        )
    return path.read_bytes()


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
    user = factories.user_with_role(Role.SUPERVISOR, region=region, username="handledare-test")
    user.first_name, user.last_name = "Hanna", "Handledarsson"
    user.specialist_in = Specialty.objects.get(code="allmanmedicin")
    user.save()
    return user


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
        user__first_name="Sara Åsa",
        user__last_name="Berglund-Öhman",
        personal_id="198503152384",
    )


@pytest.fixture
def goran(unit, supervisor):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        curriculum_version=CurriculumVersion.objects.get(code="2021"),
        user__username="goran-test",
        user__first_name="Göran",
        user__last_name="Ärlig",
        personal_id="199204101233",
    )


def subject(name: str, version: str = "2015") -> MandatorySubject:
    return MandatorySubject.objects.get(
        specialty__code="allmanmedicin", version__code=version, name=name
    )


def issue(actor, trainee, name="Läkemedel", now=NOW, **changes):
    values = {
        "title": "",
        "first_day": DAY,
        "place": "Folkets hus, Umeå",
        "description": "Föreläsningar om rationell läkemedelsbehandling i primärvården.",
        "examined_on": dt.date(2027, 4, 9),
        "examination": "Fallseminarium med handledaren.",
    }
    values.update(changes)
    if "subject" not in values:
        values["subject"] = subject(name, trainee.curriculum_version.code)
    return services.issue_st_day_certificate(actor=actor, trainee=trainee, now=now, **values)


@pytest.fixture(autouse=True)
def fresh_form_bytes():
    """A rolled-back upload's id may come back for another form (SQLite): read forms anew."""
    from stportal.certificates.services import forget_form_bytes

    forget_form_bytes()
    yield
    forget_form_bytes()
