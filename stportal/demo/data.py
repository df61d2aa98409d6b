"""The demo's data: Region Västerbotten's organisation, people and LEKA course weeks.

Everything is made through the services (actor None), so the demo carries the same audit trail
as real data. Loading is idempotent: each object is found by its natural key (region code,
area and home unit names, usernames, series names, week titles) and skipped when it exists, so
a second run changes nothing.

Course weeks are placed relative to `today` (Appendix A: "Demo data is placed relative to
today"), so that on any date the demo has a finished week, a week open for registration and a
week in draft. Names and personal identity numbers come from seeded generators: the same run
gives the same people, whatever the date.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from stportal.accounts.models import Area, HomeUnit, Region, Role, User
from stportal.accounts.services import create_home_unit, create_trainee, grant_role
from stportal.core import audit
from stportal.core.dates import local_date
from stportal.courses.models import CourseSeries, CourseWeek
from stportal.courses.services import add_course, create_course_week, publish_course_week
from stportal.curricula.models import CurriculumVersion, Goal, Specialty
from stportal.demo.annualreport import load_annual_reports
from stportal.demo.assessments import load_assessments
from stportal.demo.catalogue import load_catalogue
from stportal.demo.completion import load_completion
from stportal.demo.faq import load_faq
from stportal.demo.funding import load_funding
from stportal.demo.information import load_information_page
from stportal.demo.organisation import (
    AREAS,
    HOME_UNITS,
    TRAINEES_PER_SUPERVISOR,
    AreaSpec,
    UnitSpec,
)
from stportal.demo.people import (
    ACCOUNTS,
    ENHETSCHEF_UNITS,
    FIRST_2021_START,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HANDLEDARE_UNIT,
    LAST_2015_START,
    LAST_NAMES,
    STLAKARE_BIRTH,
    STLAKARE_SERIAL,
    STLAKARE_ST_START,
    STLAKARE_UNIT,
    STUDIEREKTOR_AREA,
    DemoAccount,
    NameSource,
    Person,
    PersonalIds,
    TraineePlan,
    _add_months,
    ascii_username,
    personal_id,
    plan_trainees,
)
from stportal.demo.plan import load_plan
from stportal.demo.programme import (
    COURSES,
    LEKA_A,
    LEKA_B,
    SERIES,
    CourseSpec,
    SeriesSpec,
    WeekPlan,
    plan_weeks,
)
from stportal.demo.registrations import fill_week
from stportal.demo.second_region import load_second_region
from stportal.demo.secondments import load_secondments
from stportal.demo.statements import load_statements
from stportal.demo.stdays import load_stdays
from stportal.demo.studytime import load_studytime

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password (Appendix A)
EMAIL_DOMAIN = "example.org"

REGION_NAME = "Region Västerbotten"
REGION_CODE = "vasterbotten"
HOST_SITE = "NUS"
PLACE = "Norrlands universitetssjukhus (NUS), Umeå"
CAPACITY = 60
LATE_CANCELLATION_FEE = 3000

__all__ = [
    "ACCOUNTS",
    "AREAS",
    "AreaSpec",
    "CAPACITY",
    "COURSES",
    "CourseSpec",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoResult",
    "EMAIL_DOMAIN",
    "ENHETSCHEF_UNITS",
    "FIRST_2021_START",
    "FIRST_NAMES_FEMALE",
    "FIRST_NAMES_MALE",
    "HANDLEDARE_UNIT",
    "HOME_UNITS",
    "HOST_SITE",
    "LAST_2015_START",
    "LAST_NAMES",
    "LATE_CANCELLATION_FEE",
    "LEKA_A",
    "LEKA_B",
    "NameSource",
    "PLACE",
    "Person",
    "PersonalIds",
    "REGION_CODE",
    "REGION_NAME",
    "SERIES",
    "STLAKARE_BIRTH",
    "STLAKARE_SERIAL",
    "STLAKARE_ST_START",
    "STLAKARE_UNIT",
    "STUDIEREKTOR_AREA",
    "SeriesSpec",
    "TRAINEES_PER_SUPERVISOR",
    "TraineePlan",
    "UnitSpec",
    "WeekPlan",
    "ascii_username",
    "load_demo",
    "personal_id",
    "plan_trainees",
    "plan_weeks",
]


# --- Loading ------------------------------------------------------------------------------


@dataclass
class DemoResult:
    region: Region
    weeks: list[WeekPlan]
    created: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def load_demo(*, today: dt.date | None = None) -> DemoResult:
    """Create what the demo lacks, in one transaction; return what it holds."""
    today = today or local_date(timezone.now())
    with transaction.atomic():
        return _Loader(today).run()


class _Loader:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.created: dict[str, int] = {}
        self.trainee_plans = plan_trainees(today)
        # Staff names come from their own seeded source, kept apart from the trainees' names.
        taken = {ascii_username(f"{a.first_name}.{a.last_name}") for a in ACCOUNTS}
        taken |= {plan.person.username for plan in self.trainee_plans}
        self.names = NameSource(100, taken)

    def _count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    def run(self) -> DemoResult:
        region = self._region()
        areas = self._areas(region)
        units = self._home_units(region, areas)
        accounts = self._accounts()
        self._account_roles(region, areas, units, accounts)
        study_directors = self._study_directors(region, areas, accounts)
        supervisors = self._supervisors(region, units, accounts)
        self._trainees(units, supervisors, study_directors, accounts)
        series = self._series(region)
        leaders = self._course_leaders(region, accounts)
        weeks = plan_weeks(self.today)
        self._weeks(region, series, weeks, leaders)
        if load_information_page(region, actor=accounts["kursadmin"]):
            self._count("information_pages")
        load_statements(today=self.today, counter=self._count)
        self.created["catalogue"] = load_catalogue(
            region, actor=accounts["kursadmin"], today=self.today
        )
        self.created["faq"] = load_faq(region, actor=accounts["kursadmin"])
        if load_funding(region, accounts, self.today):
            self._count("funding")
        load_stdays(today=self.today, counter=self._count)
        load_secondments(today=self.today, counter=self._count)
        load_plan(today=self.today, counter=self._count)
        load_studytime(today=self.today, counter=self._count)
        load_assessments(today=self.today, counter=self._count)
        load_annual_reports(today=self.today, counter=self._count)
        load_completion(today=self.today, counter=self._count)
        open_plan = next((plan for plan in weeks if plan.key == "open"), None)
        load_second_region(
            host=region,
            open_week=CourseWeek.objects.filter(
                series__region=region, title=open_plan.title
            ).first()
            if open_plan is not None
            else None,
            make_user=lambda spec: self._user(
                spec.username, spec.first_name, spec.last_name, password=DEMO_PASSWORD
            ),
            email_domain=EMAIL_DOMAIN,
            password=DEMO_PASSWORD,
            today=self.today,
            counter=self._count,
        )
        return DemoResult(region=region, weeks=weeks, created=self.created)

    # Organisation. Regions, areas and series have no service of their own (reference data
    # edited in the admin); they are audited here as the services would.

    def _region(self) -> Region:
        region = Region.objects.filter(code=REGION_CODE).first()
        if region is None:
            region = Region.objects.create(name=REGION_NAME, code=REGION_CODE)
            audit.record(
                actor=None, action="region.created", obj=region, after=audit.snapshot(region)
            )
            self._count("regions")
        return region

    def _areas(self, region: Region) -> dict[str, Area]:
        areas = {a.name: a for a in Area.objects.filter(region=region)}
        for spec in AREAS:
            if spec.name not in areas:
                area = Area.objects.create(
                    region=region,
                    name=spec.name,
                    purchaser_id=spec.purchaser_id,
                    invoice_address=spec.invoice_address,
                )
                audit.record(
                    actor=None, action="area.created", obj=area, after=audit.snapshot(area)
                )
                areas[spec.name] = area
                self._count("areas")
        return areas

    def _home_units(self, region: Region, areas: dict[str, Area]) -> dict[str, HomeUnit]:
        units = {u.name: u for u in HomeUnit.objects.filter(region=region)}
        for spec in HOME_UNITS:
            if spec.name not in units:
                units[spec.name] = create_home_unit(
                    actor=None,
                    region=region,
                    name=spec.name,
                    cost_centre=spec.cost_centre,
                    area=areas[spec.area],
                    away_from_host_site=spec.away_from_host_site,
                    invoice_address=spec.invoice_address,
                )
                self._count("home_units")
        return units

    # People.

    def _user(self, username: str, first: str, last: str, *, password: str | None) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@{EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                password=password,
            )
            self._count("users")
        return user

    def _accounts(self) -> dict[str, User]:
        accounts = {}
        for spec in ACCOUNTS:
            if spec.username == "stlakare":
                continue  # made with the trainees, through create_trainee
            accounts[spec.username] = self._user(
                spec.username, spec.first_name, spec.last_name, password=DEMO_PASSWORD
            )
        return accounts

    def _account_roles(
        self,
        region: Region,
        areas: dict[str, Area],
        units: dict[str, HomeUnit],
        accounts: dict[str, User],
    ) -> None:
        assign = self._assign
        assign(accounts["kursadmin"], Role.COURSE_ADMIN, region)
        assign(accounts["studierektor"], Role.REGIONAL_STUDY_DIRECTOR, region)
        assign(accounts["studierektor"], Role.STUDY_DIRECTOR, region, area=areas[STUDIEREKTOR_AREA])
        # C18: the certifier's specialty goes in the certifier's block of each certificate.
        User.objects.filter(pk=accounts["studierektor"].pk, specialist_in=None).update(
            specialist_in=Specialty.objects.filter(code="allmanmedicin").first()
        )
        assign(accounts["kursledare"], Role.COURSE_LEADER, region)
        assign(accounts["handledare"], Role.SUPERVISOR, region)
        for name in ENHETSCHEF_UNITS:
            assign(accounts["enhetschef"], Role.UNIT_MANAGER, region, home_unit=units[name])

    def _assign(self, user: User, role: str, region: Region, **scope) -> None:
        if not user.role_assignments.filter(
            role=role,
            region=region,
            area=scope.get("area"),
            home_unit=scope.get("home_unit"),
        ).exists():
            grant_role(actor=None, user=user, role=role, region=region, **scope)
            self._count("role_assignments")

    def _generated_user(self) -> User:
        """A person of the region without a demo log-in (no usable password)."""
        person = self.names.next()
        return self._user(person.username, person.first_name, person.last_name, password=None)

    def _study_directors(
        self, region: Region, areas: dict[str, Area], accounts: dict[str, User]
    ) -> dict[str, User]:
        directors = {}
        for spec in AREAS:
            if spec.name == STUDIEREKTOR_AREA:
                directors[spec.name] = accounts["studierektor"]
                continue
            user = self._generated_user()
            self._assign(user, Role.STUDY_DIRECTOR, region, area=areas[spec.name])
            directors[spec.name] = user
        return directors

    def _supervisors(
        self, region: Region, units: dict[str, HomeUnit], accounts: dict[str, User]
    ) -> dict[str, list[User]]:
        supervisors: dict[str, list[User]] = {}
        for spec in HOME_UNITS:
            needed = max(1, math.ceil(spec.trainees / TRAINEES_PER_SUPERVISOR))
            people = [accounts["handledare"]] if spec.name == HANDLEDARE_UNIT else []
            while len(people) < needed:
                user = self._generated_user()
                self._assign(user, Role.SUPERVISOR, region)
                people.append(user)
            supervisors[spec.name] = people
        return supervisors

    def _trainees(
        self,
        units: dict[str, HomeUnit],
        supervisors: dict[str, list[User]],
        study_directors: dict[str, User],
        accounts: dict[str, User],
    ) -> None:
        specialties = {s.code: s for s in Specialty.objects.all()}
        versions = {v.code: v for v in CurriculumVersion.objects.all()}
        existing = set(User.objects.values_list("username", flat=True))
        unit_specs = {spec.name: spec for spec in HOME_UNITS}

        if "stlakare" not in existing:
            spec = next(a for a in ACCOUNTS if a.username == "stlakare")
            completion = self.today + dt.timedelta(days=420)
            profile = create_trainee(
                actor=None,
                username="stlakare",
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"stlakare@{EMAIL_DOMAIN}",
                personal_id=personal_id(STLAKARE_BIRTH, STLAKARE_SERIAL),
                specialty=specialties["allmanmedicin"],
                curriculum_version=versions["2015"],
                planned_completion=completion,
                st_start=min(STLAKARE_ST_START, _add_months(completion, -60)),
                home_unit=units[STLAKARE_UNIT],
                supervisor=accounts["handledare"],
                study_director=study_directors[unit_specs[STLAKARE_UNIT].area],
                today=self.today,
            )
            profile.user.set_password(DEMO_PASSWORD)
            profile.user.save(update_fields=["password"])
            self._count("trainees")

        turn: dict[str, int] = {}
        for plan in self.trainee_plans:
            unit_supervisors = supervisors[plan.unit]
            index = turn.get(plan.unit, 0)
            turn[plan.unit] = index + 1
            if plan.person.username in existing:
                continue
            create_trainee(
                actor=None,
                username=plan.person.username,
                first_name=plan.person.first_name,
                last_name=plan.person.last_name,
                email=f"{plan.person.username}@{EMAIL_DOMAIN}",
                personal_id=plan.personal_id,
                specialty=specialties[plan.specialty],
                curriculum_version=versions[plan.version],
                planned_completion=plan.planned_completion,
                st_start=plan.st_start,
                employment_percent=plan.employment_percent,
                home_unit=units[plan.unit],
                supervisor=unit_supervisors[index % len(unit_supervisors)],
                study_director=study_directors[unit_specs[plan.unit].area],
                today=self.today,
            )
            self._count("trainees")

    # The course programme.

    def _series(self, region: Region) -> dict[str, CourseSeries]:
        found = {s.name: s for s in CourseSeries.objects.filter(region=region)}
        for spec in SERIES:
            if spec.name in found:
                continue
            series = CourseSeries.objects.create(
                region=region,
                name=spec.name,
                default_iso_week=spec.default_iso_week,
                invitation_month=spec.invitation_month,
                invitation_months_before=spec.invitation_in_year_before,
                deadline_day=spec.deadline_day,
                deadline_month=spec.deadline_month,
                deadline_in_year_before=spec.deadline_in_year_before,
                main_goals=spec.main_goals,
                default_place=PLACE,
                default_capacity=CAPACITY,
                default_fee=LATE_CANCELLATION_FEE,
                host_site=HOST_SITE,
            )
            audit.record(
                actor=None,
                action="course_series.created",
                obj=series,
                after=audit.snapshot(series),
            )
            found[spec.name] = series
            self._count("course_series")
        return found

    def _course_leaders(self, region: Region, accounts: dict[str, User]) -> dict[str, User]:
        """One leader per course title, the same every year (kursledare for some)."""
        leaders = {}
        for series_name in (LEKA_A, LEKA_B):
            for spec in COURSES[series_name]:
                if spec.leader:
                    leaders[spec.title] = accounts[spec.leader]
                else:
                    leaders[spec.title] = self._generated_user()
                self._assign(leaders[spec.title], Role.COURSE_LEADER, region)
        return leaders

    def _weeks(
        self,
        region: Region,
        series: dict[str, CourseSeries],
        plans: list[WeekPlan],
        leaders: dict[str, User],
    ) -> None:
        existing = set(
            CourseWeek.objects.filter(series__region=region).values_list("title", flat=True)
        )
        goals = {
            (g.version.code, g.code): g
            for g in Goal.objects.filter(specialty=None).select_related("version")
        }
        for plan in plans:
            if plan.title in existing:
                continue
            week = create_course_week(
                actor=None,
                series=series[plan.series],
                title=plan.title,
                start_date=plan.start_date,
                end_date=plan.end_date,
                place=PLACE,
                capacity=CAPACITY,
                invitation_date=plan.invitation_date,
                registration_deadline=plan.registration_deadline,
                cancellation_deadline=plan.cancellation_deadline,
                late_cancellation_fee=LATE_CANCELLATION_FEE,
                host_site=HOST_SITE,
            )
            for position, spec in enumerate(COURSES[plan.series], start=1):
                add_course(
                    actor=None,
                    week=week,
                    title=spec.title,
                    description=spec.description,
                    days=[plan.start_date + dt.timedelta(days=d) for d in spec.weekdays],
                    leaders=[leaders[spec.title]],
                    goals=[goals[("2015", c)] for c in spec.goals_2015]
                    + [goals[("2021", c)] for c in spec.goals_2021],
                    position=position,
                )
            if plan.publish:
                publish_course_week(actor=None, week=week)
            self._count("course_weeks")
            fill_week(plan=plan, week=week, today=self.today, counter=self._count)
