"""Fixtures of the completion pack's tests (SPEC 5 P14): a 2015 trainee in allmänmedicin and a
2021 one, their supervisor, a study director of the area, another trainee; an evidence source
of this test's own standing in for the plan's (placements, auskultation, quality and written
work); Socialstyrelsen's application forms from ../shared/reference/forms/."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from stportal.accounts.models import Role
from stportal.core import periods
from stportal.core.dates import STOCKHOLM
from stportal.curricula import attachments
from stportal.curricula.models import CurriculumVersion, MandatorySubject, Specialty
from stportal.stdays import services as stday_services
from stportal.testing import factories

NOW = dt.datetime(2027, 4, 12, 10, 0, tzinfo=STOCKHOLM)
DAY = dt.date(2027, 4, 7)

REPO_ROOT = Path(__file__).resolve().parents[3]
FORMS_DIR = REPO_ROOT / ".." / "shared" / "reference" / "forms"
APPLICATION_FILES = {
    "2015": "sosfs-2015-8-bilaga-1-ansokan.pdf",
    "2021": "hslf-fs-2021-8-bilaga-5-ansokan.pdf",
}
COURSE_FORM_2015 = "sosfs-2015-8-bilaga-5-kurs.pdf"


def reference(name: str) -> bytes:
    path = FORMS_DIR / name
    if not path.is_file():
        pytest.skip(
            f"Socialstyrelsen's form {name} is not at ../shared/reference/forms/ beside the "
            "repository (the forms are not shipped with the product)"
        )
    return path.read_bytes()


def application(version: str) -> bytes:
    return reference(APPLICATION_FILES[version])


def small_pdf(text: str = "Intyg om uppnådd specialistkompetens") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# The plan's evidence and periods, as this test's own source: trainee id -> items.
PLAN_EVIDENCE: dict[int, list[attachments.Evidence]] = {}
PLAN_PERIODS: dict[int, list[periods.Period]] = {}


@pytest.fixture(autouse=True)
def plan_source():
    """Register a stand-in for the plan's sources for the test, and restore what was there."""
    saved_evidence = dict(attachments._SOURCES)
    saved_periods = dict(periods._SOURCES)
    attachments.register_evidence_source(
        "plan", lambda trainee_id: list(PLAN_EVIDENCE.get(trainee_id, []))
    )
    periods.register_period_source(
        "plan", lambda trainee_id: list(PLAN_PERIODS.get(trainee_id, []))
    )
    yield
    PLAN_EVIDENCE.clear()
    PLAN_PERIODS.clear()
    attachments._SOURCES.clear()
    attachments._SOURCES.update(saved_evidence)
    periods._SOURCES.clear()
    periods._SOURCES.update(saved_periods)


def plan_item(trainee, kind: str, title: str, source_id: int, **changes) -> attachments.Evidence:
    values = {
        "goals": ("a1",),
        "start": dt.date(2025, 1, 1),
        "end": dt.date(2025, 6, 30),
        "source": "plan",
        "source_id": source_id,
        "pdf": (lambda: small_pdf(title)),
    }
    values.update(changes)
    item = attachments.Evidence(kind=kind, title=title, **values)
    PLAN_EVIDENCE.setdefault(trainee.pk, []).append(item)
    return item


@pytest.fixture
def area(region):
    return factories.AreaFactory(region=region, name="Område Norr")


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
def study_director(region, area):
    return factories.user_with_role(
        Role.STUDY_DIRECTOR, region=region, area=area, username="studierektor-norr"
    )


@pytest.fixture
def sara(unit, supervisor, study_director):
    return factories.TraineeFactory(
        home_unit=unit,
        supervisor=supervisor,
        study_director=study_director,
        user__username="sara-test",
        user__first_name="Sara",
        user__last_name="Berglund-Öhman",
        personal_id="198503152384",
        employment_percent=75,
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


@pytest.fixture
def other_trainee(unit):
    return factories.TraineeFactory(home_unit=unit, user__username="annan-test")


def subject(name: str, version: str = "2015") -> MandatorySubject:
    return MandatorySubject.objects.get(
        specialty__code="allmanmedicin", version__code=version, name=name
    )


def issue_st_day(supervisor, trainee, name="Läkemedel"):
    return stday_services.issue_st_day_certificate(
        actor=supervisor,
        trainee=trainee,
        subject=subject(name, trainee.curriculum_version.code),
        first_day=DAY,
        place="Folkets hus, Umeå",
        examined_on=DAY,
        examination="Fallseminarium med handledaren.",
        now=NOW,
    )


@pytest.fixture(autouse=True)
def fresh_form_bytes():
    from stportal.certificates.services import forget_form_bytes

    forget_form_bytes()
    yield
    forget_form_bytes()
