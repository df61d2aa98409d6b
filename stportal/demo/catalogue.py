"""The demo region's course catalogue (SPEC 5 P2): the catalogues seed 004 names, as providers
of Region Västerbotten, each with a few external courses in allmänmedicin's mandatory subjects
and the goals of the 2015 curriculum, dated relative to the demo's today.

The region's own (FoU in primary care, ST-forum, the region calendar) are preferred providers;
Socialstyrelsen's SK courses and the private Allmänläkarkurser are *other* providers, whose
courses need the study director's exception; one of those is certified, so the demo can show
an application that asks for the exception. Written through the catalogue's services as the
demo's course admin; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stportal.accounts.models import Region, User
from stportal.catalogue import services
from stportal.catalogue.models import ExternalCourse, Provider, ProviderKind
from stportal.curricula.models import Goal, MandatorySubject

PREFERRED = ProviderKind.PREFERRED
OTHER = ProviderKind.OTHER


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    kind: str
    url: str
    description: str


@dataclass(frozen=True)
class CourseSpec:
    provider: str
    title: str
    weeks_ahead: int  # the first day: a Monday this many weeks after the demo's today
    days: int
    place: str
    cost: int
    certified: bool
    goals: tuple[str, ...]  # 2015 codes
    subjects: tuple[str, ...]  # names of allmänmedicin 2015's mandatory subjects
    description: str
    url: str = ""


PROVIDERS = (
    ProviderSpec(
        "Forskning och Utveckling i primärvård",
        PREFERRED,
        "https://fou.example.org/kurser",
        "Regionens FoU-enhet för primärvården: kurser i vetenskapligt arbete och "
        "kvalitetsarbete för ST-läkare.",
    ),
    ProviderSpec(
        "ST-forum",
        PREFERRED,
        "https://st-forum.example.org/kurser",
        "Regionens kurser för ST-läkare i allmänmedicin, samlade på ST-forum.",
    ),
    ProviderSpec(
        "Regionkalendern",
        PREFERRED,
        "https://kalender.example.org/utbildning",
        "Regionens utbildningskalender: kurser och utbildningsdagar som regionen själv anordnar.",
    ),
    ProviderSpec(
        "Socialstyrelsen",
        OTHER,
        "https://www.socialstyrelsen.se/",
        "SK-kurser (specialistkompetenskurser) som Socialstyrelsen upphandlar. Ges utanför "
        "regionen: kräver studierektorns undantag.",
    ),
    ProviderSpec(
        "Allmänläkarkurser",
        OTHER,
        "https://allmanlakarkurser.example.org/",
        "Privat kursarrangör med kurser i allmänmedicin över hela landet. Kräver "
        "studierektorns undantag.",
    ),
)

COURSES = (
    CourseSpec(
        "Forskning och Utveckling i primärvård",
        "Vetenskapligt arbete i primärvården: från fråga till projektplan",
        6,
        2,
        "Umeå",
        2500,
        True,
        ("a5",),
        ("Medicinsk vetenskap",),
        "Att formulera en forskningsbar fråga, söka litteratur och skriva en projektplan "
        "för ST-arbetet. Med handledning i grupp.",
    ),
    CourseSpec(
        "Forskning och Utveckling i primärvård",
        "Kvalitets- och patientsäkerhetsarbete på vårdcentralen",
        14,
        1,
        "Umeå",
        1500,
        True,
        ("a4",),
        (),
        "Förbättringsmetoder, avvikelsehantering och mätning i primärvårdens vardag.",
    ),
    CourseSpec(
        "ST-forum",
        "Palliativ vård i livets slutskede för ST-läkare",
        9,
        3,
        "Skellefteå",
        4200,
        True,
        ("b5",),
        ("Palliativ vård i livets slutskede",),
        "Symtomlindring, brytpunktssamtal och samverkan med hemsjukvården.",
    ),
    CourseSpec(
        "ST-forum",
        "Försäkringsmedicin för ST i allmänmedicin",
        18,
        2,
        "Umeå",
        3500,
        True,
        ("b4",),
        ("Försäkringsmedicin",),
        "Sjukskrivningsprocessen, intygsskrivande och samverkan med Försäkringskassan.",
    ),
    CourseSpec(
        "Regionkalendern",
        "Barnhälsovård för ST-läkare i allmänmedicin",
        11,
        2,
        "Lycksele",
        1800,
        True,
        (),
        ("BVC, barnmedicin",),
        "Barnhälsovårdens program, tillväxt och utveckling, vaccinationer och det sjuka "
        "barnet på vårdcentralen.",
    ),
    CourseSpec(
        "Regionkalendern",
        "Läkemedelsbehandling av äldre",
        4,
        1,
        "Digitalt",
        0,
        False,
        ("b3",),
        (),
        "En utbildningsdag om läkemedelsgenomgångar och polyfarmaci. Ger inget kursintyg.",
    ),
    CourseSpec(
        "Socialstyrelsen",
        "SK-kurs: Etik, mångfald och jämlikhet i vården",
        16,
        3,
        "Stockholm",
        6000,
        True,
        ("a2",),
        ("Etik, mångfald och jämlikhet",),
        "Socialstyrelsens specialistkompetenskurs med etiska analyser och fall från vården.",
    ),
    CourseSpec(
        "Socialstyrelsen",
        "SK-kurs: Hälso- och sjukvårdens organisation och lagar",
        22,
        2,
        "Stockholm",
        5500,
        True,
        ("a6",),
        ("Lagar och andra föreskrifter samt hälso- och sjukvårdens organisation",),
        "Lagar och föreskrifter i hälso- och sjukvården, tillsyn och vårdens organisation.",
    ),
    CourseSpec(
        "Allmänläkarkurser",
        "Allmänmedicinskt arbetssätt: konsultationen i fokus",
        7,
        3,
        "Stockholm",
        9800,
        True,
        (),
        ("Allmänmedicinskt arbetssätt",),
        "Den allmänmedicinska konsultationen, patientcentrerat arbetssätt och "
        "handläggning av oselekterade besvär.",
    ),
    CourseSpec(
        "Allmänläkarkurser",
        "Kommunikation med patienter och närstående",
        12,
        2,
        "Göteborg",
        8500,
        True,
        ("b1",),
        ("Kommunikation med patienter och närstående",),
        "Samtalsmetodik, svåra samtal och kommunikation med tolk.",
    ),
)


def _monday_after(today: dt.date, weeks: int) -> dt.date:
    return today + dt.timedelta(days=7 * weeks - today.weekday())


def load_catalogue(region: Region, *, actor: User | None, today: dt.date) -> int:
    """Create the providers and courses the demo region lacks; return how many were made."""
    made = 0
    providers = {p.name: p for p in Provider.objects.filter(region=region)}
    for spec in PROVIDERS:
        if spec.name not in providers:
            providers[spec.name] = services.create_provider(
                actor=actor,
                region=region,
                name=spec.name,
                kind=spec.kind,
                url=spec.url,
                description=spec.description,
            )
            made += 1
    existing = set(
        ExternalCourse.objects.filter(provider__region=region).values_list(
            "provider__name", "title"
        )
    )
    goals = {g.code: g for g in Goal.objects.filter(version__code="2015", specialty__isnull=True)}
    subjects = {
        s.name: s
        for s in MandatorySubject.objects.filter(
            specialty__code="allmanmedicin", version__code="2015"
        )
    }
    for course in COURSES:
        if (course.provider, course.title) in existing:
            continue
        start = _monday_after(today, course.weeks_ahead)
        services.create_external_course(
            actor=actor,
            provider=providers[course.provider],
            title=course.title,
            url=course.url or providers[course.provider].url,
            start_date=start,
            end_date=start + dt.timedelta(days=course.days - 1),
            place=course.place,
            cost=course.cost,
            certified=course.certified,
            description=course.description,
            goals=[goals[code] for code in course.goals if code in goals],
            subjects=[subjects[name] for name in course.subjects if name in subjects],
        )
        made += 1
    return made
