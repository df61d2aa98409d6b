"""Seed data for curricula (Appendix B), loaded by a migration and editable in the admin.

`load_seed` only adds what is missing: it never overwrites a title staff have corrected.
"""

from __future__ import annotations

VERSIONS = [
    ("2008", "SOSFS 2008:17", "Läkarnas specialiseringstjänstgöring (SOSFS 2008:17)", True),
    ("2015", "SOSFS 2015:8", "Läkarnas specialiseringstjänstgöring (SOSFS 2015:8)", False),
    ("2021", "HSLF-FS 2021:8", "Läkarnas specialiseringstjänstgöring (HSLF-FS 2021:8)", False),
]

SPECIALTIES = [
    ("allmanmedicin", "Allmänmedicin"),
    ("psykiatri", "Psykiatri"),
    ("internmedicin", "Internmedicin"),
    ("kirurgi", "Kirurgi"),
    ("anestesi-och-intensivvard", "Anestesi och intensivvård"),
    ("barn-och-ungdomsmedicin", "Barn- och ungdomsmedicin"),
    ("obstetrik-och-gynekologi", "Obstetrik och gynekologi"),
    ("ortopedi", "Ortopedi"),
    ("geriatrik", "Geriatrik"),
    ("akutsjukvard", "Akutsjukvård"),
    ("radiologi", "Radiologi"),
    ("onkologi", "Onkologi"),
]

GOALS_2015 = [
    ("a1", "Medarbetarskap, ledarskap och pedagogik", "a"),
    ("a2", "Etik, mångfald och jämlikhet", "a"),
    ("a3", "Vårdhygien och smittskydd", "a"),
    ("a4", "Systematiskt kvalitets- och patientsäkerhetsarbete", "a"),
    ("a5", "Medicinsk vetenskap", "a"),
    ("a6", "Lagar och andra föreskrifter samt hälso- och sjukvårdens organisation", "a"),
    ("b1", "Kommunikation med patienter och närstående", "b"),
    ("b2", "Sjukdomsförebyggande arbete", "b"),
    ("b3", "Läkemedel", "b"),
    ("b4", "Försäkringsmedicin", "b"),
    ("b5", "Palliativ vård i livets slutskede", "b"),
]

GOALS_2021 = [
    ("STa1", "Hälso- och sjukvårdens förutsättningar", "a"),
    ("STa2", "Systematiskt kvalitets- och patientsäkerhetsarbete", "a"),
    ("STa3", "Medicinsk vetenskap", "a"),
    ("STa4", "Etik", "a"),
    ("STa5", "Ledarskap", "a"),
    ("STa6", "Lärande", "a"),
    ("STa7", "Vårdhygien och smittskydd", "a"),
    ("STb1", "Kommunikation med patienter och närstående", "b"),
    ("STb2", "Sjukdomsförebyggande och hälsofrämjande arbete", "b"),
    ("STb3", "Försäkringsmedicin", "b"),
    ("STb4", "Palliativ vård", "b"),
    ("BT1", "Akuta och icke akuta sjukdomstillstånd", "bt"),
    ("BT2", "Psykiatriska sjukdomstillstånd och övrig psykisk ohälsa", "bt"),
    ("BT3", "Lagar och andra författningar inom hälso- och sjukvården", "bt"),
    ("BT4", "Hälso- och sjukvårdens styrning och organisation", "bt"),
    ("BT5", "Strukturerad vårddokumentation", "bt"),
    ("BT6", "Systematiskt kvalitetsarbete", "bt"),
    ("BT7", "Vetenskapligt förhållningssätt", "bt"),
    ("BT8", "Etik i det dagliga arbetet", "bt"),
    ("BT9", "Bemötande", "bt"),
    ("BT10", "Samarbeta och leda arbetet kring patienten", "bt"),
    ("BT11", "Presentera, förklara och instruera", "bt"),
    ("BT12", "Barn och ungdomar", "bt"),
    ("BT13", "Vårdhygien och smittskydd i det dagliga arbetet", "bt"),
    ("BT14", "Hälsofrämjande insatser", "bt"),
    ("BT15", "Läkemedelsbehandling", "bt"),
    ("BT16", "Försäkringsmedicinska intyg", "bt"),
    ("BT17", "Behov av palliativ vård", "bt"),
    ("BT18", "Dödsbevis och dödsorsaksintyg", "bt"),
]

# Allmänmedicin 2015: the twelve mandatory course subjects of seed 004, with their goals
# ("c" means a specialty-specific goal not yet numbered here).
MANDATORY_ALLMANMEDICIN_2015 = [
    ("Allmänmedicinskt arbetssätt", [], "c"),
    ("Kommunikation med patienter och närstående", ["b1"], ""),
    ("Medarbetarskap, ledarskap och pedagogik", ["a1"], ""),
    ("BVC, barnmedicin", [], "c"),
    ("Medicinsk vetenskap", ["a5"], ""),
    ("Etik, mångfald och jämlikhet", ["a2"], ""),
    ("Sjukdomsförebyggande arbete", ["b2"], ""),
    ("Läkemedel", ["b3"], ""),
    ("Försäkringsmedicin", ["b4"], ""),
    ("Palliativ vård i livets slutskede", ["b5"], ""),
    ("Lagar och andra föreskrifter samt hälso- och sjukvårdens organisation", ["a6"], ""),
    ("Lagar och föreskrifter som gäller för allmänmedicin", [], "c"),
]


def load_seed(apps=None) -> None:
    """Create what is missing. `apps` is a migration's app registry, or None for the live one."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    version_model = apps.get_model("curricula", "CurriculumVersion")
    specialty_model = apps.get_model("curricula", "Specialty")
    goal_model = apps.get_model("curricula", "Goal")
    subject_model = apps.get_model("curricula", "MandatorySubject")

    versions = {}
    for code, regulation, name, per_specialty in VERSIONS:
        versions[code], _ = version_model.objects.get_or_create(
            code=code,
            defaults={
                "regulation": regulation,
                "name": name,
                "goal_numbers_per_specialty": per_specialty,
            },
        )
    specialties = {}
    for code, name in SPECIALTIES:
        specialties[code], _ = specialty_model.objects.get_or_create(
            code=code, defaults={"name": name}
        )
    for version_code, goals in (("2015", GOALS_2015), ("2021", GOALS_2021)):
        for position, (code, title, kind) in enumerate(goals, start=1):
            goal_model.objects.get_or_create(
                version=versions[version_code],
                specialty=None,
                code=code,
                defaults={"title": title, "kind": kind, "position": position},
            )
    allmanmedicin = specialties["allmanmedicin"]
    if not subject_model.objects.filter(specialty=allmanmedicin, version=versions["2015"]).exists():
        for position, (name, goal_codes, note) in enumerate(MANDATORY_ALLMANMEDICIN_2015, start=1):
            subject = subject_model.objects.create(
                specialty=allmanmedicin,
                version=versions["2015"],
                name=name,
                goal_note=note,
                position=position,
            )
            if goal_codes:
                subject.goals.set(
                    goal_model.objects.filter(
                        version=versions["2015"], specialty=None, code__in=goal_codes
                    )
                )
