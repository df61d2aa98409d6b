"""The demo's second region (C23): Västra Götalandsregionen, from seed 004 (its five areas with
their purchaser ids, the invoice address and the electronic-invoicing identifiers), with its own
staff and a trainee, `stlakare2`, whom the first region lets into its LEKA week open for
registration, at a price per seat and per lodging night for guests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from stportal.accounts.models import Area, HomeUnit, Region, Role, User
from stportal.accounts.services import create_home_unit, create_trainee, grant_role
from stportal.core import audit
from stportal.courses.models import CourseWeek
from stportal.courses.services import update_course_week
from stportal.curricula.models import CurriculumVersion, Specialty
from stportal.demo.people import DemoAccount, personal_id
from stportal.funding.models import AreaFundingSettings

REGION2_NAME = "Västra Götalandsregionen"
REGION2_CODE = "vgr"
# Seed 004: one invoice address for every area, each area known by its Beställar-id.
INVOICE_ADDRESS = "Västra Götalandsregionen\nRegionhälsan\nFe 007\n405 83 Göteborg"
AREAS2 = (
    ("Fyrbodal", "554161"),
    ("Göteborg", "304531"),
    ("Skaraborg", "151101"),
    ("Södra Bohuslän", "495001"),
    ("Södra Älvsborg", "204521"),
)
# Seed 004: the identifiers for electronic invoicing, the same for every area.
GLN = "7350003379232"
ORGANISATION_NUMBER = "232100-0131"
CUSTOMER_NUMBER = "I60801"
VAT_REGISTRATION_NUMBER = "232100013101"
VAT_NUMBER = "SE232100013101"
BANK = "Swedbank"
BIC = "SWEDSESS"

UNIT2 = "Vårdcentralen Högsbo"
UNIT2_AREA = "Göteborg"
ACCOUNTS2 = (
    DemoAccount("kursadmin2", "Göran", "Ekdahl", (Role.COURSE_ADMIN,)),
    DemoAccount("studierektor2", "Birgitta", "Fransson", (Role.REGIONAL_STUDY_DIRECTOR,)),
    DemoAccount("stlakare2", "Amir", "Haddad", (Role.TRAINEE,)),
)
STLAKARE2_BIRTH = dt.date(1990, 11, 2)
STLAKARE2_SERIAL = "517"
STLAKARE2_ST_START = dt.date(2021, 2, 1)
# What the first region charges the second for a seat and a night on its open LEKA week.
GUEST_SEAT_PRICE = 4500
GUEST_NIGHTLY_RATE = 1350

Count = Callable[[str], None]


def load_second_region(
    *,
    host: Region,
    open_week: CourseWeek | None,
    make_user: Callable[[DemoAccount], User],
    email_domain: str,
    password: str,
    today: dt.date,
    counter: Count,
) -> Region:
    """Create what the second region lacks, and open the host's open week to it."""
    region = Region.objects.filter(code=REGION2_CODE).first()
    if region is None:
        region = Region.objects.create(name=REGION2_NAME, code=REGION2_CODE)
        audit.record(actor=None, action="region.created", obj=region, after=audit.snapshot(region))
        counter("regions")
    areas = _areas(region, counter)
    unit = HomeUnit.objects.filter(region=region, name=UNIT2).first()
    if unit is None:
        unit = create_home_unit(
            actor=None,
            region=region,
            name=UNIT2,
            cost_centre="",
            area=areas[UNIT2_AREA],
            away_from_host_site=True,
        )
        counter("home_units")
    staff = {spec.username: make_user(spec) for spec in ACCOUNTS2 if spec.username != "stlakare2"}
    _grant(staff["kursadmin2"], Role.COURSE_ADMIN, region, counter)
    _grant(staff["studierektor2"], Role.REGIONAL_STUDY_DIRECTOR, region, counter)
    if not User.objects.filter(username="stlakare2").exists():
        spec = ACCOUNTS2[2]
        create_trainee(
            actor=None,
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@{email_domain}",
            personal_id=personal_id(STLAKARE2_BIRTH, STLAKARE2_SERIAL),
            specialty=Specialty.objects.get(code="allmanmedicin"),
            curriculum_version=CurriculumVersion.objects.get(code="2015"),
            planned_completion=today + dt.timedelta(days=2 * 365),
            st_start=STLAKARE2_ST_START,  # before July 2021: the 2015 curriculum (Appendix B)
            home_unit=unit,
            today=today,
        )
        user = User.objects.get(username="stlakare2")
        user.set_password(password)
        user.save(update_fields=["password"])
        counter("trainees")
    if open_week is not None and not (
        open_week.open_to_all_regions or open_week.open_to_regions.filter(pk=region.pk).exists()
    ):
        update_course_week(
            actor=None,
            week=open_week,
            changes={
                "open_to_regions": [region.pk],
                "guest_seat_price": GUEST_SEAT_PRICE,
                "guest_lodging_nightly_rate": GUEST_NIGHTLY_RATE,
            },
        )
        counter("weeks_opened_to_other_regions")
    return region


def _areas(region: Region, counter: Count) -> dict[str, Area]:
    areas = {area.name: area for area in Area.objects.filter(region=region)}
    for name, purchaser_id in AREAS2:
        if name in areas:
            continue
        area = Area.objects.create(
            region=region, name=name, purchaser_id=purchaser_id, invoice_address=INVOICE_ADDRESS
        )
        audit.record(actor=None, action="area.created", obj=area, after=audit.snapshot(area))
        areas[name] = area
        counter("areas")
        made = AreaFundingSettings.objects.create(
            area=area,
            gln=GLN,
            organisation_number=ORGANISATION_NUMBER,
            customer_number=CUSTOMER_NUMBER,
            vat_registration_number=VAT_REGISTRATION_NUMBER,
            vat_number=VAT_NUMBER,
            bank=BANK,
            bic=BIC,
        )
        audit.record(
            actor=None,
            action="area_funding_settings.created",
            obj=made,
            after=audit.snapshot(made),
        )
    return areas


def _grant(user: User, role: str, region: Region, counter: Count) -> None:
    if not user.role_assignments.filter(role=role, region=region).exists():
        grant_role(actor=None, user=user, role=role, region=region)
        counter("role_assignments")
