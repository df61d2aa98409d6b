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
import random
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from stportal.accounts.models import Area, HomeUnit, Region, Role, User
from stportal.accounts.services import create_home_unit, create_trainee, grant_role
from stportal.core import audit
from stportal.core.dates import local_date
from stportal.core.personnummer import luhn_check_digit
from stportal.courses.models import CourseSeries, CourseWeek
from stportal.courses.planning import holidays_between
from stportal.courses.services import add_course, create_course_week, publish_course_week
from stportal.curricula.models import CurriculumVersion, Goal, Specialty

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password (Appendix A)
EMAIL_DOMAIN = "example.org"

REGION_NAME = "Region Västerbotten"
REGION_CODE = "vasterbotten"
HOST_SITE = "NUS"
PLACE = "Norrlands universitetssjukhus (NUS), Umeå"
CAPACITY = 60
LATE_CANCELLATION_FEE = 3000


# --- Organisation -------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSpec:
    name: str
    purchaser_id: str
    invoice_address: str


@dataclass(frozen=True)
class UnitSpec:
    name: str
    area: str
    cost_centre: str
    away_from_host_site: bool
    specialties: tuple[str, ...]
    trainees: int
    invoice_address: str = ""


AREAS = (
    AreaSpec(
        "Umeå",
        "B12345",
        "Region Västerbotten\nOmråde Umeå, leverantörsfakturor\nBox 4100\n901 04 Umeå",
    ),
    AreaSpec(
        "Skellefteå",
        "B23456",
        "Region Västerbotten\nOmråde Skellefteå, leverantörsfakturor\nBox 4200\n901 04 Umeå",
    ),
    AreaSpec(
        "Södra Lappland",
        "B34567",
        "Region Västerbotten\nOmråde Södra Lappland, leverantörsfakturor\nBox 4300\n901 04 Umeå",
    ),
)

# The host site NUS is in Umeå: units elsewhere are away from it and get lodging paid (C20).
# Mariehem is a private vårdcentral: no cost centre of the region, its own invoice address (C16).
HOME_UNITS = (
    UnitSpec("Hälsocentralen Ersboda", "Umeå", "KST 41210", False, ("allmanmedicin",), 10),
    UnitSpec("Hälsocentralen Ålidhem", "Umeå", "KST 41220", False, ("allmanmedicin",), 9),
    UnitSpec(
        "Vårdcentralen Mariehem (privat)",
        "Umeå",
        "",
        False,
        ("allmanmedicin",),
        7,
        invoice_address="Mariehems Vårdcentral AB\nFakturor\nBox 7050\n907 02 Umeå",
    ),
    UnitSpec(
        "Medicincentrum, NUS",
        "Umeå",
        "KST 42110",
        False,
        ("internmedicin", "geriatrik", "onkologi"),
        28,
    ),
    UnitSpec("Psykiatri, NUS", "Umeå", "KST 42310", False, ("psykiatri",), 14),
    UnitSpec(
        "Kirurg- och ortopedcentrum, NUS",
        "Umeå",
        "KST 42510",
        False,
        ("kirurgi", "ortopedi"),
        16,
    ),
    UnitSpec(
        "Barn- och kvinnocentrum, NUS",
        "Umeå",
        "KST 42710",
        False,
        ("barn-och-ungdomsmedicin", "obstetrik-och-gynekologi"),
        14,
    ),
    UnitSpec(
        "Akut- och intensivvård, NUS",
        "Umeå",
        "KST 42810",
        False,
        ("anestesi-och-intensivvard", "akutsjukvard", "radiologi"),
        10,
    ),
    UnitSpec(
        "Medicinkliniken, Skellefteå lasarett",
        "Skellefteå",
        "KST 43110",
        True,
        ("internmedicin", "akutsjukvard"),
        12,
    ),
    UnitSpec(
        "Hälsocentralen Norrmalm, Skellefteå",
        "Skellefteå",
        "KST 43310",
        True,
        ("allmanmedicin",),
        9,
    ),
    UnitSpec(
        "Lycksele lasarett",
        "Södra Lappland",
        "KST 44110",
        True,
        ("internmedicin", "kirurgi"),
        8,
    ),
    UnitSpec(
        "Hälsocentralen Vilhelmina", "Södra Lappland", "KST 44310", True, ("allmanmedicin",), 6
    ),
    UnitSpec("Hälsocentralen Storuman", "Södra Lappland", "KST 44320", True, ("allmanmedicin",), 5),
)

TRAINEES_PER_SUPERVISOR = 5


# --- The demo accounts (Appendix A) -------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]


ACCOUNTS = (
    DemoAccount("kursadmin", "Karin", "Lindqvist", (Role.COURSE_ADMIN,)),
    DemoAccount(
        "studierektor",
        "Anders",
        "Holmström",
        (Role.REGIONAL_STUDY_DIRECTOR, Role.STUDY_DIRECTOR),
    ),
    DemoAccount("kursledare", "Maria", "Sundberg", (Role.COURSE_LEADER,)),
    DemoAccount("handledare", "Per", "Nordin", (Role.SUPERVISOR,)),
    DemoAccount("stlakare", "Sara", "Berglund", (Role.TRAINEE,)),
    DemoAccount("enhetschef", "Lars", "Öberg", (Role.UNIT_MANAGER,)),
)

# stlakare: a 2015 trainee in allmänmedicin at the unit enhetschef manages, in the area
# studierektor directs, supervised by handledare.
STLAKARE_UNIT = "Hälsocentralen Ersboda"
STLAKARE_BIRTH = dt.date(1991, 4, 17)
STLAKARE_SERIAL = "324"
STLAKARE_ST_START = dt.date(2021, 3, 1)
STUDIEREKTOR_AREA = "Umeå"
ENHETSCHEF_UNITS = ("Hälsocentralen Ersboda", "Hälsocentralen Ålidhem")
HANDLEDARE_UNIT = "Hälsocentralen Ersboda"


# --- Course series and their courses (seed 000, C1) ---------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    name: str
    default_iso_week: int
    invitation_month: int
    invitation_in_year_before: bool
    deadline_day: int
    deadline_month: int
    deadline_in_year_before: bool
    main_goals: str


@dataclass(frozen=True)
class CourseSpec:
    title: str
    description: str
    weekdays: tuple[int, ...]  # 0 = Monday
    goals_2015: tuple[str, ...]
    goals_2021: tuple[str, ...]
    leader: str = ""  # a demo account's username; empty: the course's own generated leader


LEKA_A = "LEKA A"
LEKA_B = "LEKA B"

SERIES = (
    SeriesSpec(LEKA_A, 12, 9, True, 15, 10, True, "a-delmål (SOSFS 2015:8): a1, a2, a5, a6"),
    SeriesSpec(LEKA_B, 47, 4, False, 15, 5, False, "b-delmål (SOSFS 2015:8): b1–b5"),
)

COURSES = {
    LEKA_A: (
        CourseSpec(
            "Ledarskap och medarbetarskap",
            "Att leda och att vara medarbetare i vården: grupprocesser, konflikthantering och "
            "läkarens roll i teamet.",
            (0,),
            ("a1",),
            ("STa5",),
        ),
        CourseSpec(
            "Pedagogik och handledning",
            "Vuxnas lärande, att undervisa patienter, studenter och kollegor, och att ge och ta "
            "emot återkoppling.",
            (1,),
            ("a1",),
            ("STa6",),
        ),
        CourseSpec(
            "Etik, mångfald och jämlikhet",
            "Etiska principer och dilemman i vardagen, bemötande och jämlik vård. Fallseminarier "
            "i smågrupper.",
            (2,),
            ("a2",),
            ("STa4",),
            leader="kursledare",
        ),
        CourseSpec(
            "Medicinsk vetenskap",
            "Vetenskapligt förhållningssätt, studiedesign, statistik och kritisk granskning av "
            "litteratur inför det skriftliga individuella arbetet.",
            (3,),
            ("a5",),
            ("STa3",),
        ),
        CourseSpec(
            "Hälso- och sjukvårdens organisation, lagar och patientsäkerhet",
            "Hälso- och sjukvårdens styrning och organisation, lagar och föreskrifter, "
            "patientsäkerhet och systematiskt kvalitetsarbete.",
            (4,),
            ("a6",),
            ("STa1", "STa2"),
        ),
    ),
    LEKA_B: (
        CourseSpec(
            "Kommunikation med patienter och närstående",
            "Samtalsmetodik, svåra samtal och att informera närstående. Övningar med "
            "simulerade patienter.",
            (0,),
            ("b1",),
            ("STb1",),
            leader="kursledare",
        ),
        CourseSpec(
            "Sjukdomsförebyggande arbete",
            "Levnadsvanor, motiverande samtal och hälsofrämjande arbete i det kliniska mötet.",
            (1,),
            ("b2",),
            ("STb2",),
        ),
        CourseSpec(
            "Läkemedel",
            "Rationell läkemedelsbehandling, läkemedelsgenomgångar, biverkningar och "
            "läkemedel hos äldre.",
            (2,),
            ("b3",),
            (),
        ),
        CourseSpec(
            "Försäkringsmedicin",
            "Sjukskrivningsprocessen, försäkringsmedicinska intyg och samverkan med "
            "Försäkringskassan.",
            (3,),
            ("b4",),
            ("STb3",),
        ),
        CourseSpec(
            "Palliativ vård i livets slutskede",
            "Symtomlindring, brytpunktssamtal och vård i livets slutskede, med "
            "närståendeperspektiv.",
            (4,),
            ("b5",),
            ("STb4",),
        ),
    ),
}


# --- Course weeks relative to today (pure) ------------------------------------------------


@dataclass(frozen=True)
class WeekPlan:
    """Where one demo course week goes, decided from `today` alone."""

    key: str  # what the week shows in the demo: "finished", "open", "draft"
    series: str
    title: str
    start_date: dt.date
    end_date: dt.date
    invitation_date: dt.date
    registration_deadline: dt.date
    publish: bool
    cancellation_deadline: dt.date | None = None  # None: the default, 14 days before (C3)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _clear_of_holidays(monday: dt.date) -> dt.date:
    """C2: a week whose course days hold a public holiday moves earlier."""
    while holidays_between(monday, monday + dt.timedelta(days=4)):
        monday -= dt.timedelta(weeks=1)
    return monday


def _next_clear_monday(monday: dt.date) -> dt.date:
    while holidays_between(monday, monday + dt.timedelta(days=4)):
        monday += dt.timedelta(weeks=1)
    return monday


def _season_series(start: dt.date) -> str:
    """LEKA A is the spring week, LEKA B the autumn week (seed 000)."""
    return LEKA_A if start.month <= 6 else LEKA_B


def plan_weeks(today: dt.date) -> list[WeekPlan]:
    """The demo's course weeks around `today`.

    1. A finished week: its Friday at least seven weeks ago.
    2. An allocated week inside its cancellation period: first day in about two weeks,
       deadline six weeks ago (the registration engine fills it, see demo/registrations.py).
    3. A week open for registration: invitation eight weeks ago, deadline in three weeks,
       first day about ten weeks ahead (so the cancellation deadline, 14 days before, is
       after the registration deadline).
    4. A draft a year ahead, with invitation and deadline at the seed's usual distance
       (about 30 and 22 weeks before the week).
    5. A closed week: deadline three days ago, not yet allocated, first day about five weeks
       ahead; `stlakare` and others registered on time, so the allocation preview has lines
       to place (and flags a planned completion changed after the deadline, C5a).
    Each title is "<series> <year>"; a week takes the series of its season unless that title
    is already taken by an earlier week of the plan. Finished and draft are more than a year
    apart, so the titles stay unique.
    """
    finished = _clear_of_holidays(_monday(today - dt.timedelta(weeks=7)))
    # Inside its cancellation period: the first clear week after today, with the cancellation
    # deadline already passed (14 days before the first day, or yesterday when Easter and May
    # holidays push the first clear week further out).
    allocated = _next_clear_monday(_monday(today + dt.timedelta(days=7)))
    allocated_cancellation = min(allocated - dt.timedelta(days=14), today - dt.timedelta(days=1))
    open_start = _clear_of_holidays(_monday(today + dt.timedelta(weeks=10)))
    draft = _clear_of_holidays(_monday(today + dt.timedelta(weeks=52)))
    closed = _next_clear_monday(max(_monday(today + dt.timedelta(weeks=5)), allocated))
    while closed in (allocated, open_start):
        closed = _next_clear_monday(closed + dt.timedelta(weeks=1))
    slots = (
        (
            "finished",
            finished,
            finished - dt.timedelta(weeks=30),
            finished - dt.timedelta(weeks=22),
            True,
        ),
        (
            "allocated",
            allocated,
            today - dt.timedelta(weeks=16),
            today - dt.timedelta(weeks=6),
            True,
        ),
        (
            "open",
            open_start,
            today - dt.timedelta(weeks=8),
            today + dt.timedelta(weeks=3),
            True,
        ),
        ("draft", draft, draft - dt.timedelta(weeks=30), draft - dt.timedelta(weeks=22), False),
        (
            "closed",
            closed,
            today - dt.timedelta(weeks=14),
            today - dt.timedelta(days=3),
            True,
        ),
    )
    plans: list[WeekPlan] = []
    used: set[str] = set()
    for key, start, invitation, deadline, publish in slots:
        preferred = _season_series(start)
        series, title = preferred, f"{preferred} {start.year}"
        if title in used:
            # An extra week of the season's series, named by its ISO week.
            title = f"{series} {start.year}, vecka {start.isocalendar().week}"
        used.add(title)
        plans.append(
            WeekPlan(
                key=key,
                series=series,
                title=title,
                start_date=start,
                end_date=start + dt.timedelta(days=4),
                invitation_date=invitation,
                registration_deadline=deadline,
                publish=publish,
                cancellation_deadline=allocated_cancellation if key == "allocated" else None,
            )
        )
    return plans


# --- People: deterministic Swedish names and valid personal identity numbers ------------

FIRST_NAMES_FEMALE = (
    "Anna", "Eva", "Maria", "Karin", "Lena", "Emma", "Kristina", "Elin", "Johanna", "Linnea",
    "Sofia", "Malin", "Ida", "Hanna", "Frida", "Julia", "Emelie", "Jenny", "Caroline", "Elsa",
    "Maja", "Klara", "Lisa", "Amanda", "Josefin", "Matilda", "Rebecka", "Ebba", "Moa",
    "Agnes", "Helena", "Camilla", "Therese", "Ulrika", "Louise", "Alva", "Tove", "Ylva",
    "Åsa", "Märta", "Stina", "Annika", "Cecilia", "Fatima", "Leila", "Nadia", "Sanna",
    "Mirja", "Aino", "Ingrid",
)  # fmt: skip
FIRST_NAMES_MALE = (
    "Erik", "Karl", "Johan", "Mikael", "Jan", "Daniel", "Fredrik", "Andreas", "Magnus",
    "Jonas", "Oskar", "Gustav", "Axel", "Viktor", "Filip", "Emil", "Anton", "Simon", "Linus",
    "Albin", "David", "Alexander", "Henrik", "Martin", "Mattias", "Niklas", "Olof",
    "Johannes", "Sebastian", "Jakob", "Isak", "Hugo", "Elias", "Björn", "Tobias", "Rasmus",
    "Joakim", "Petter", "Ludvig", "Samuel", "Nils", "Ahmed", "Omar", "Yusuf", "Mehmet",
    "Arvid", "Hampus", "Ville",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Hansson", "Bengtsson",
    "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindgren", "Berg",
    "Axelsson", "Bergström", "Lundberg", "Lundgren", "Lundqvist", "Mattsson", "Fredriksson",
    "Sandberg", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson",
    "Lundin", "Björk", "Bergman", "Holm", "Wikström", "Isaksson", "Bergqvist", "Nyström",
    "Holmberg", "Söderberg", "Nyberg", "Blomqvist", "Nordström", "Lundström", "Viklund",
    "Björklund", "Eliasson", "Sandström", "Ström", "Åberg", "Ekström", "Holmgren", "Hedlund",
    "Dahlberg", "Hellström", "Sjögren", "Falk", "Marklund", "Lundmark", "Burman", "Lindmark",
    "Öhman", "Nordlund", "Renberg", "Sjölander", "Granberg", "Boström", "Åström", "Hällgren",
    "Hassan", "Karimi", "Yilmaz", "Virtanen", "Nguyen", "Lindholm",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    female: bool

    @property
    def username(self) -> str:
        return ascii_username(f"{self.first_name}.{self.last_name}")


def ascii_username(text: str) -> str:
    """A user name without diacritics: "Åsa.Öhman" becomes "asa.ohman"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


class NameSource:
    """Distinct Swedish names from a seeded generator; the demo accounts' names are kept out."""

    def __init__(self, seed: int, taken: set[str]) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self._taken = set(taken)

    def next(self) -> Person:
        while True:
            female = self._rng.random() < 0.5
            first = self._rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
            last = self._rng.choice(LAST_NAMES)
            person = Person(first, last, female)
            if person.username not in self._taken:
                self._taken.add(person.username)
                return person


def personal_id(birth: dt.date, serial: str) -> str:
    """The 12-digit form with its Luhn check digit (Appendix B)."""
    return f"{birth:%Y%m%d}{serial}{luhn_check_digit(f'{birth:%y%m%d}{serial}')}"


class PersonalIds:
    """Valid, distinct personal identity numbers; the serial's last digit follows the sex
    (odd for men, even for women), as in real numbers."""

    def __init__(self, seed: int, taken: set[str]) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self._taken = set(taken)

    def next(self, *, born_from: int, born_to: int, female: bool) -> str:
        while True:
            birth = dt.date(born_from, 1, 1) + dt.timedelta(
                days=self._rng.randrange((dt.date(born_to, 12, 31) - dt.date(born_from, 1, 1)).days)
            )
            sex_digit = self._rng.choice("02468" if female else "13579")
            number = personal_id(birth, f"{self._rng.randrange(100):02d}{sex_digit}")
            if number not in self._taken:
                self._taken.add(number)
                return number


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, min(day.day, 28))


# 2015:8 applies to those who started ST before 2021-07-01 (Appendix B).
LAST_2015_START = dt.date(2021, 6, 30)
FIRST_2021_START = dt.date(2021, 7, 1)


@dataclass(frozen=True)
class TraineePlan:
    person: Person
    personal_id: str
    unit: str
    specialty: str
    version: str
    st_start: dt.date
    planned_completion: dt.date
    employment_percent: int


def plan_trainees(today: dt.date) -> list[TraineePlan]:
    """About 150 trainees across the home units, both curricula and several specialties.

    2015 trainees started before 2021-07-01 and are in their last years (completion within
    about 2½ years); 2021 trainees started since then and finish 5½–7 years after their start.
    """
    names = NameSource(1, {ascii_username(f"{a.first_name}.{a.last_name}") for a in ACCOUNTS})
    ids = PersonalIds(2, {personal_id(STLAKARE_BIRTH, STLAKARE_SERIAL)})
    rng = random.Random(3)  # noqa: S311 - demo data, not security
    plans = []
    for unit in HOME_UNITS:
        for _ in range(unit.trainees):
            person = names.next()
            specialty = rng.choice(unit.specialties)
            employment = rng.choice((100, 100, 100, 100, 100, 90, 80, 75))
            if rng.random() < 0.4:
                version = "2015"
                completion = today + dt.timedelta(days=rng.randrange(30, 900))
                start = min(
                    LAST_2015_START - dt.timedelta(days=rng.randrange(0, 900)),
                    _add_months(completion, -60),
                )
                number = ids.next(born_from=1978, born_to=1992, female=person.female)
            else:
                version = "2021"
                earliest = max(FIRST_2021_START, _add_months(today, -66))
                start = earliest + dt.timedelta(days=rng.randrange(max((today - earliest).days, 1)))
                completion = max(
                    _add_months(start, rng.randrange(66, 84)),
                    today + dt.timedelta(days=rng.randrange(30, 120)),
                )
                number = ids.next(born_from=1985, born_to=1998, female=person.female)
            plans.append(
                TraineePlan(
                    person=person,
                    personal_id=number,
                    unit=unit.name,
                    specialty=specialty,
                    version=version,
                    st_start=start,
                    planned_completion=completion,
                    employment_percent=employment,
                )
            )
    return plans


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


from stportal.demo.information import load_information_page  # noqa: E402
from stportal.demo.registrations import fill_week  # noqa: E402 - needs WeekPlan above


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
