"""The demo's people: the demo accounts (Appendix A), and the trainees made from seeded
generators of Swedish names and valid personal identity numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from stportal.accounts.models import Role
from stportal.core.personnummer import luhn_check_digit
from stportal.demo.organisation import HOME_UNITS

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
