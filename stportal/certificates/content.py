"""What a course certificate says (C18), independent of how it is drawn.

`CertificateData` is the plain, frozen input of every renderer in this package; `printed_values`
turns it into the exact strings that go into the boxes of the form of the trainee's curriculum
version, so that Socialstyrelsen's form, the product's own rendition and the 2008 transfer
sheet print the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Version = Literal["2015", "2021", "2008"]
CertifierRole = Literal["kursledare", "handledare"]

VERSIONS: tuple[str, ...] = ("2015", "2021", "2008")
CERTIFIER_ROLES: tuple[str, ...] = ("kursledare", "handledare")

_TWELVE_DIGITS = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one course certificate (C18, Appendix B).

    `personal_id` and `certifier_personal_id` are in the 12-digit storage form
    (YYYYMMDDNNNC); they are printed as YYYYMMDD-NNNC. `certifier_personal_id` is printed only
    on the 2021 form and only when a supervisor certifies (the form says "gäller endast
    handledare"); leave it empty otherwise.
    """

    curriculum_version: Version
    bilaga_nr: str
    last_name: str
    first_name: str
    personal_id: str
    specialty: str
    goal_codes: tuple[str, ...]
    subject: str
    period_start: dt.date
    period_end: dt.date
    course_leader: str
    description: str
    certifier_role: CertifierRole
    certifier_name: str
    certifier_specialty: str
    certifier_workplace: str
    place_and_date: str
    certifier_personal_id: str = ""
    verification_code: str = ""
    verification_url: str = ""

    def __post_init__(self) -> None:
        if self.curriculum_version not in VERSIONS:
            raise ValueError(f"unknown curriculum version {self.curriculum_version!r}")
        if self.certifier_role not in CERTIFIER_ROLES:
            raise ValueError(f"unknown certifier role {self.certifier_role!r}")
        if not _TWELVE_DIGITS.match(self.personal_id):
            raise ValueError("personal_id must be the 12-digit form YYYYMMDDNNNC")
        if self.certifier_personal_id and not _TWELVE_DIGITS.match(self.certifier_personal_id):
            raise ValueError("certifier_personal_id must be empty or the 12-digit form")
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if isinstance(self.goal_codes, str):
            # A bare string would print as "a, 1"; insist on a tuple of codes.
            raise TypeError("goal_codes must be a tuple of codes, not a string")


def format_personal_id(digits: str) -> str:
    """198503151234 -> 19850315-1234 (empty stays empty)."""
    if not digits:
        return ""
    return f"{digits[:8]}-{digits[8:]}"


def format_yymmdd(day: dt.date) -> str:
    """The forms' "ååmmdd": 2027-03-22 -> 270322."""
    return day.strftime("%y%m%d")


def format_period(data: CertificateData) -> str:
    """The 2015 form's period, "ååmmdd – ååmmdd" with an en dash."""
    return f"{format_yymmdd(data.period_start)} \u2013 {format_yymmdd(data.period_end)}"


def format_goals(goal_codes: tuple[str, ...]) -> str:
    """("a1", "b1") -> "a1, b1"."""
    return ", ".join(code.strip() for code in goal_codes if code.strip())


def printed_values(data: CertificateData) -> dict[str, str]:
    """The text of every box, by field key, as the form of `data`'s version asks for it.

    Keys: bilaga_nr, last_name, first_name, personal_id, specialty, goals, subject,
    course_leader, description, certifier_specialty, workplace, place_and_date,
    certifier_name, certifier_personal_id. Boxes that the version's form lacks or that do not
    apply (2021's supervisor-only boxes when a course leader certifies) are empty strings.
    """
    supervisor = data.certifier_role == "handledare"
    if data.curriculum_version == "2015":
        # "Ämne (i rubrikform) och period (ååmmdd – ååmmdd) för kursen" is one box.
        subject = f"{data.subject}, {format_period(data)}"
    else:
        subject = data.subject
    if data.curriculum_version == "2021":
        # Both boxes say "gäller endast handledare" (supervisors only).
        certifier_specialty = data.certifier_specialty if supervisor else ""
        certifier_pid = format_personal_id(data.certifier_personal_id) if supervisor else ""
    else:
        certifier_specialty = data.certifier_specialty
        certifier_pid = ""
    return {
        "bilaga_nr": data.bilaga_nr,
        "last_name": data.last_name,
        "first_name": data.first_name,
        "personal_id": format_personal_id(data.personal_id),
        "specialty": data.specialty,
        "goals": format_goals(data.goal_codes),
        "subject": subject,
        "course_leader": data.course_leader if data.curriculum_version != "2021" else "",
        "description": data.description,
        "certifier_specialty": certifier_specialty,
        "workplace": data.certifier_workplace,
        "place_and_date": data.place_and_date,
        "certifier_name": data.certifier_name,
        "certifier_personal_id": certifier_pid,
    }
