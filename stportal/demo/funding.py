"""The demo's training funds (SPEC 5 P3): the funding settings and electronic-invoicing
identifiers of the demo region's areas (invented numbers, in the shape the region's invoicing
page lists them), and two applications of `stlakare`: one waiting for `studierektor`, one that
`studierektor` has approved, so its invoicing details show. Written through the services as
the demo's people; a second load changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stportal.accounts.models import Area, Region, TraineeProfile, User
from stportal.core import audit
from stportal.curricula.models import MandatorySubject
from stportal.funding import services
from stportal.funding.models import AreaFundingSettings, FundingApplication


@dataclass(frozen=True)
class SettingsSpec:
    area: str
    register_before_approval: bool
    expected_courses_per_year: int
    yearly_limit: int
    gln: str
    customer_number: str


# One organisation (the region) with one GLN per area; every number here is made up.
ORGANISATION_NUMBER = "232100-0990"
VAT_REGISTRATION_NUMBER = "232100099001"
VAT_NUMBER = "SE232100099001"
BANK = "Handelsbanken"
BIC = "HANDSESS"
SETTINGS = (
    SettingsSpec("Umeå", False, 2, 25_000, "7350099000011", "I70411"),
    SettingsSpec("Skellefteå", True, 2, 25_000, "7350099000028", "I70412"),
    SettingsSpec("Södra Lappland", True, 3, 30_000, "7350099000035", "I70413"),
)


@dataclass(frozen=True)
class ApplicationSpec:
    title: str
    provider: str
    starts_in_days: int
    days: int
    place: str
    goals: tuple[str, ...]
    subject: str
    costs: tuple[tuple[str, int], ...]
    motivation: str


WAITING = ApplicationSpec(
    title="Barnhälsovård för ST-läkare i allmänmedicin",
    provider="Norrlands kursakademi AB",
    starts_in_days=49,
    days=2,
    place="Luleå",
    goals=(),
    subject="BVC, barnmedicin",
    costs=(("fee", 6_500), ("travel", 2_300), ("lodging", 1_900)),
    motivation="Jag har BVC-mottagning två dagar i veckan och behöver kursen enligt min IUP.",
)
APPROVED = ApplicationSpec(
    title="Palliativ vård i livets slutskede",
    provider="Regionalt cancercentrum norr",
    starts_in_days=35,
    days=2,
    place="Umeå",
    goals=("b5",),
    subject="Palliativ vård i livets slutskede",
    costs=(("fee", 3_200), ("travel", 1_400)),
    motivation="Obligatorisk kurs i palliativ vård enligt målbeskrivningen.",
)


def _settings(region: Region) -> None:
    areas = {area.name: area for area in Area.objects.filter(region=region)}
    existing = set(
        AreaFundingSettings.objects.filter(area__region=region).values_list("area__name", flat=True)
    )
    for spec in SETTINGS:
        area = areas.get(spec.area)
        if area is None or spec.area in existing:
            continue
        made = AreaFundingSettings.objects.create(
            area=area,
            register_before_approval=spec.register_before_approval,
            expected_courses_per_year=spec.expected_courses_per_year,
            yearly_limit=spec.yearly_limit,
            gln=spec.gln,
            organisation_number=ORGANISATION_NUMBER,
            customer_number=spec.customer_number,
            vat_registration_number=VAT_REGISTRATION_NUMBER,
            vat_number=VAT_NUMBER,
            bank=BANK,
            bic=BIC,
        )
        # Reference data edited in the admin; audited here as an edit there would be.
        audit.record(
            actor=None,
            action="area_funding_settings.created",
            obj=made,
            after=audit.snapshot(made),
        )


def _apply(profile: TraineeProfile, spec: ApplicationSpec, today: dt.date) -> FundingApplication:
    start = today + dt.timedelta(days=spec.starts_in_days)
    subjects = MandatorySubject.objects.filter(
        specialty_id=profile.specialty_id,
        version_id=profile.curriculum_version_id,
        name=spec.subject,
    ).values_list("pk", flat=True)
    return services.submit_application(
        actor=profile.user,
        trainee=profile,
        course_title=spec.title,
        provider=spec.provider,
        start_date=start,
        end_date=start + dt.timedelta(days=spec.days - 1),
        place=spec.place,
        motivation=spec.motivation,
        goal_codes=list(spec.goals),
        subject_ids=list(subjects),
        costs=[services.Cost(kind, amount) for kind, amount in spec.costs],
    )


def load_funding(region: Region, accounts: dict[str, User], today: dt.date) -> int:
    """Settings for every area, and stlakare's two applications; how many things were made."""
    before = AreaFundingSettings.objects.filter(area__region=region).count()
    _settings(region)
    made = AreaFundingSettings.objects.filter(area__region=region).count() - before
    profile = (
        TraineeProfile.objects.select_related("user", "home_unit")
        .filter(user__username="stlakare")
        .first()
    )
    if profile is None:
        return made
    titles = set(
        FundingApplication.objects.filter(trainee=profile).values_list("course_title", flat=True)
    )
    if WAITING.title not in titles:
        _apply(profile, WAITING, today)
        made += 1
    if APPROVED.title not in titles:
        application = _apply(profile, APPROVED, today)
        services.decide_application(
            actor=accounts["studierektor"],
            application=application,
            approved=True,
            comment="Godkänd. Kursen svarar mot delmål b5 och det obligatoriska ämnet.",
            exception_reason="Kursen ges inte av regionens egna utbildare i år.",
        )
        made += 1
    return made
