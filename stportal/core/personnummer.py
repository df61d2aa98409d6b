"""Swedish personal identity numbers (personnummer) and coordination numbers (Appendix B).

Accepts the common input forms (YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC,
YYYYMMDDNNNC) and normalises to the 12-digit storage form YYYYMMDDNNNC. The last digit is a
Luhn check digit over the ten-digit form's first nine digits; a samordningsnummer adds 60 to
the day. With only two year digits the century is inferred from `today`: "-" means the person
is under 100, "+" that they have turned 100.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


class InvalidPersonnummer(ValueError):
    """The text is not a valid personal identity number; the message says why."""


@dataclass(frozen=True)
class Personnummer:
    year: int
    month: int
    day: int
    serial: str
    check: str
    coordination: bool

    @property
    def birth_date(self) -> dt.date:
        return dt.date(self.year, self.month, self.day)

    @property
    def long(self) -> str:
        """The 12-digit storage form, e.g. 198112189876."""
        day = self.day + (60 if self.coordination else 0)
        return f"{self.year:04d}{self.month:02d}{day:02d}{self.serial}{self.check}"

    def formatted(self) -> str:
        """The display form YYYYMMDD-NNNC."""
        return f"{self.long[:8]}-{self.long[8:]}"

    def masked(self) -> str:
        """Birth date shown, the last four digits hidden (SPEC 7, privacy)."""
        return f"{self.long[:8]}-****"


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def parse(text: str, *, today: dt.date | None = None) -> Personnummer:
    """Parse and validate; raise InvalidPersonnummer with a reason otherwise."""
    cleaned = re.sub(r"\s", "", str(text or ""))
    match = _PATTERN.match(cleaned)
    if not match:
        raise InvalidPersonnummer("Ogiltigt format: ange ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.")
    century, yy, mm, dd, sign, serial, check = match.groups()
    month = int(mm)
    day_field = int(dd)
    coordination = day_field > 60
    day = day_field - 60 if coordination else day_field
    ten = f"{yy}{mm}{dd}{serial}"
    if luhn_check_digit(ten) != int(check):
        raise InvalidPersonnummer("Kontrollsiffran stämmer inte.")
    if century is not None:
        year = int(century + yy)
        if sign == "+":
            # A century sign together with a four-digit year is contradictory only if the
            # person is under 100; accept it when it agrees.
            reference = today or _today()
            if reference.year - year < 100:
                raise InvalidPersonnummer("Plustecken används bara för personer som fyllt 100.")
    else:
        reference = today or _today()
        year = (reference.year // 100) * 100 + int(yy)
        if sign == "+":
            year -= 100
        while True:
            try:
                born = dt.date(year, month, day)
            except ValueError:
                born = dt.date(year, 1, 1)
            if sign == "+":
                age_ok = _age(born, reference) >= 100
            else:
                age_ok = born <= reference and _age(born, reference) < 100
            if age_ok or year < reference.year - 200:
                break
            year -= 100
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise InvalidPersonnummer("Datumet finns inte.") from exc
    return Personnummer(year, month, day, serial, check, coordination)


def _today() -> dt.date:
    from stportal.core.dates import STOCKHOLM

    return dt.datetime.now(tz=STOCKHOLM).date()


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def normalise(text: str, *, today: dt.date | None = None) -> str:
    """The 12-digit storage form of a valid number."""
    return parse(text, today=today).long


def is_valid(text: str, *, today: dt.date | None = None) -> bool:
    try:
        parse(text, today=today)
    except InvalidPersonnummer:
        return False
    return True


def mask(stored: str) -> str:
    """Mask a stored 12-digit number for display to people other than its owner."""
    if len(stored) == 12 and stored.isdigit():
        return f"{stored[:8]}-****"
    return "********-****"


# Six to twelve digits, perhaps with a separator and spaces: what a birth date or a personal
# identity number looks like when typed into a search box.
_LOOKS_LIKE = re.compile(r"^\d{6,8}[-+]?\d{0,4}$")


def looks_like(text: str | None) -> bool:
    """Whether a search term may be (part of) a personal identity number: such a term must
    never travel in a URL, where access logs and browser histories keep it (SPEC 7)."""
    cleaned = re.sub(r"\s", "", str(text or ""))
    return bool(_LOOKS_LIKE.match(cleaned))
