"""Reading the HR system's export of trainees and deciding, row by row, what an import does (C5a).

Pure: the file's bytes and plain lookups in, one decision per row out; no database. The
transactional shell is `import_services.import_trainees`.

The export is CSV (semicolon, comma or tab separated; UTF-8 or Windows-1252, as Swedish
spreadsheet programs write it) or Excel (.xlsx). The first row names the columns, in Swedish or
English, in any order: personnummer, förnamn, efternamn, e-post, basenhet (by name or cost
centre), specialitet, målbeskrivning, planerat slutdatum, tjänstgöringsgrad, ST-start.

Each row becomes one of: create (a new trainee), change (a trainee of the importer's regions
whose planned completion differs: a confirmed change with history), unchanged, or refuse, with
the reasons in words. Personal identity numbers appear in the report masked only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from stportal.core import bounds, personnummer

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

# The columns, each with the header words accepted for it (compared without case, spaces,
# hyphens and punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "personal_id": ("personnummer", "personalid", "personnr", "pnr", "samordningsnummer"),
    "first_name": ("förnamn", "fornamn", "firstname", "tilltalsnamn"),
    "last_name": ("efternamn", "lastname", "surname"),
    "email": ("epost", "epostadress", "email", "emailaddress", "mejl", "mail"),
    "home_unit": (
        "basenhet",
        "hemenhet",
        "homeunit",
        "enhet",
        "kostnadsställe",
        "kostnadsstalle",
        "costcentre",
        "costcenter",
        "ansvar",
    ),
    "specialty": ("specialitet", "specialty", "specialisering"),
    "curriculum_version": ("målbeskrivning", "malbeskrivning", "curriculumversion", "version"),
    "planned_completion": (
        "planeratslutdatum",
        "planeradstslut",
        "plannedcompletion",
        "planeratstslut",
        "stslut",
        "slutdatum",
    ),
    "employment_percent": (
        "tjänstgöringsgrad",
        "tjanstgoringsgrad",
        "sysselsättningsgrad",
        "sysselsattningsgrad",
        "employmentpercent",
        "omfattning",
    ),
    "st_start": ("ststart", "startst", "ststartdatum", "ststartdate"),
}
REQUIRED = (
    "personal_id",
    "first_name",
    "last_name",
    "email",
    "home_unit",
    "specialty",
    "curriculum_version",
    "planned_completion",
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why."""


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).strip().lower()
    return re.sub(r"[\s\-_.:/()%]", "", text)


_HEADERS = {_key(word): column for column, words in COLUMNS.items() for word in words}


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row number in the file, the header being row 1
    values: dict[str, Any]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor Windows-1252 text."))


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(";,\t", key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("The Excel file could not be read.")) from exc
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def read_rows(data: bytes, filename: str) -> list[SourceRow]:
    """The file's data rows by column name. Unknown columns are ignored; missing required
    ones, an empty file or too many rows refuse the whole file."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    is_excel = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    rows = _xlsx_rows(data) if is_excel else _csv_rows(data)
    rows = [row for row in rows if any(str(cell or "").strip() for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [_HEADERS.get(_key(str(cell or ""))) for cell in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("The file lacks these columns: %(columns)s.")
            % {"columns": ", ".join(str(COLUMN_LABELS[name]) for name in missing)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(count)d rows; split it.") % {"count": MAX_ROWS}
        )
    found = []
    for number, row in enumerate(rows[1:], start=2):
        values: dict[str, Any] = {}
        for column, cell in zip(header, row, strict=False):
            if column is not None and column not in values:
                values[column] = cell
        found.append(SourceRow(number=number, values=values))
    return found


COLUMN_LABELS: dict[str, str] = {
    "personal_id": "personnummer",
    "first_name": "förnamn",
    "last_name": "efternamn",
    "email": "e-post",
    "home_unit": "basenhet",
    "specialty": "specialitet",
    "curriculum_version": "målbeskrivning",
    "planned_completion": "planerat slutdatum",
    "employment_percent": "tjänstgöringsgrad",
    "st_start": "ST-start",
}


# --- Values ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: an Excel date, ISO `2029-06-30`, `20290630`, or `30.06.2029` /
    `30/06/2029`. None when empty; ValueError when not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        # Excel's cells carry no time zone: the calendar fields are the date.
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return value
    text = _text(value).split(" ")[0].split("T")[0]
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            parsed = time.strptime(text, pattern)  # a calendar date, no instant involved
        except ValueError:
            continue
        day = dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        if not bounds.MIN_DATE <= day <= bounds.MAX_DATE:
            raise ValueError(text)
        return day
    raise ValueError(text)


def parse_percent(value: Any) -> int | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, float) and 0 < value <= 1:
        return round(value * 100)  # an Excel cell formatted as percent
    text = _text(value).replace("%", "").replace(",", ".").strip()
    number = float(text)
    if number != round(number):
        raise ValueError(text)
    return int(round(number))


# --- Decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingTrainee:
    trainee_id: int
    in_importer_regions: bool
    planned_completion: dt.date
    st_start: dt.date | None


@dataclass(frozen=True)
class Lookups:
    """What the plan needs to know about the database, as plain data.

    `units` maps a unit's name and its cost centre (both in `_key` form) to a unit id, or to
    None when the word names several units. `specialties` maps code and name (`_key` form) to
    an id; `versions` a curriculum version code to its id. `existing` maps a 12-digit personal
    identity number to the trainee who has it; `taken_logins` the user names in use.
    """

    units: Mapping[str, int | None]
    specialties: Mapping[str, int]
    versions: Mapping[str, int]
    existing: Mapping[str, ExistingTrainee]
    taken_logins: frozenset[str]


CREATE = "create"
CHANGE = "change"
UNCHANGED = "unchanged"
REFUSE = "refuse"


@dataclass(frozen=True)
class RowPlan:
    number: int
    action: str
    masked_personal_id: str
    name: str
    problems: tuple[str, ...] = ()
    # What the import writes (create and change rows).
    personal_id: str = ""
    trainee_id: int | None = None
    old_date: dt.date | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _lookup_unit(units: Mapping[str, int | None], text: str) -> tuple[int | None, str | None]:
    key = _key(text)
    if not key:
        return None, _("Give the home unit.")
    if key not in units:
        return None, _("Unknown home unit (by name or cost centre) in your regions: %(unit)s.") % {
            "unit": text
        }
    unit_id = units[key]
    if unit_id is None:
        return None, _("The home unit %(unit)s matches several units; use the cost centre.") % {
            "unit": text
        }
    return unit_id, None


def plan_row(
    row: SourceRow,
    lookups: Lookups,
    *,
    seen: set[str],
    logins: set[str],
    today: dt.date,
) -> RowPlan:
    """What the import does with one row, and why. `seen` (personal identity numbers of earlier
    rows) and `logins` (user names earlier rows will take) are updated as rows are planned."""
    values = row.values
    name = f"{_text(values.get('first_name'))} {_text(values.get('last_name'))}".strip()
    raw_id = _text(values.get("personal_id"))
    try:
        stored = personnummer.normalise(raw_id, today=today)
    except personnummer.InvalidPersonnummer as exc:
        shown = personnummer.mask(re.sub(r"\D", "", raw_id)) if raw_id else ""
        reason = str(exc) if raw_id else _("Give the personal identity number.")
        return RowPlan(
            row.number,
            REFUSE,
            shown,
            name,
            (_("Invalid personal identity number: %(reason)s") % {"reason": reason},),
        )
    masked = personnummer.mask(stored)
    if stored in seen:
        return RowPlan(
            row.number,
            REFUSE,
            masked,
            name,
            (_("The same personal identity number is on an earlier row."),),
        )
    seen.add(stored)
    problems: list[str] = []
    try:
        planned = parse_date(values.get("planned_completion"))
        if planned is None:
            problems.append(_("Give the planned completion date."))
    except ValueError:
        planned = None
        problems.append(_("The planned completion date is not a date (use YYYY-MM-DD)."))
    try:
        st_start = parse_date(values.get("st_start"))
    except ValueError:
        st_start = None
        problems.append(_("The ST start is not a date (use YYYY-MM-DD)."))

    existing = lookups.existing.get(stored)
    if existing is not None:
        if not existing.in_importer_regions:
            return RowPlan(
                row.number,
                REFUSE,
                masked,
                name,
                (_("The person is a trainee whose record you may not change."),),
            )
        start = existing.st_start or st_start
        if planned is not None and start is not None and planned < start:
            problems.append(_("Planned completion is before the ST start."))
        if problems:
            return RowPlan(row.number, REFUSE, masked, name, tuple(problems))
        assert planned is not None
        if planned == existing.planned_completion:
            return RowPlan(
                row.number,
                UNCHANGED,
                masked,
                name,
                trainee_id=existing.trainee_id,
                old_date=existing.planned_completion,
                data={"planned_completion": planned},
            )
        return RowPlan(
            row.number,
            CHANGE,
            masked,
            name,
            personal_id=stored,
            trainee_id=existing.trainee_id,
            old_date=existing.planned_completion,
            data={"planned_completion": planned},
        )

    first = _text(values.get("first_name"))
    last = _text(values.get("last_name"))
    email = _text(values.get("email"))
    if not first:
        problems.append(_("Give the first name."))
    if not last:
        problems.append(_("Give the last name."))
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        problems.append(_("Give a valid e-mail address."))
    elif email.lower() in lookups.taken_logins or email.lower() in logins:
        problems.append(_("The e-mail address is already the user name of another account."))
    for label, text in (("first_name", first), ("last_name", last)):
        if len(text) > 150:
            problems.append(_("The %(field)s is too long.") % {"field": COLUMN_LABELS[label]})
    unit_id, unit_problem = _lookup_unit(lookups.units, _text(values.get("home_unit")))
    if unit_problem:
        problems.append(unit_problem)
    specialty_id = lookups.specialties.get(_key(_text(values.get("specialty"))))
    if specialty_id is None:
        problems.append(
            _("Unknown specialty: %(value)s.") % {"value": _text(values.get("specialty"))}
        )
    version_id = lookups.versions.get(_text(values.get("curriculum_version")))
    if version_id is None:
        problems.append(
            _("Unknown curriculum version (2008, 2015 or 2021): %(value)s.")
            % {"value": _text(values.get("curriculum_version"))}
        )
    try:
        percent = parse_percent(values.get("employment_percent"))
    except ValueError:
        percent = None
        problems.append(_("The employment percent is not a whole number."))
    if percent is not None and not 1 <= percent <= 100:
        problems.append(_("Enter a percentage between 1 and 100."))
    if planned is not None and st_start is not None and planned < st_start:
        problems.append(_("Planned completion is before the ST start."))
    if problems:
        return RowPlan(row.number, REFUSE, masked, name, tuple(problems))
    logins.add(email.lower())
    return RowPlan(
        row.number,
        CREATE,
        masked,
        name,
        personal_id=stored,
        data={
            "first_name": first,
            "last_name": last,
            "email": email,
            "home_unit_id": unit_id,
            "specialty_id": specialty_id,
            "curriculum_version_id": version_id,
            "planned_completion": planned,
            "employment_percent": percent if percent is not None else 100,
            "st_start": st_start,
        },
    )


def plan_import(rows: Iterable[SourceRow], lookups: Lookups, *, today: dt.date) -> list[RowPlan]:
    """One decision per row, in file order."""
    seen: set[str] = set()
    logins: set[str] = set()
    return [plan_row(row, lookups, seen=seen, logins=logins, today=today) for row in rows]


def normalised_personal_ids(rows: Iterable[SourceRow], *, today: dt.date) -> set[str]:
    """The valid personal identity numbers of the rows (to look existing trainees up)."""
    found = set()
    for row in rows:
        try:
            found.add(personnummer.normalise(_text(row.values.get("personal_id")), today=today))
        except personnummer.InvalidPersonnummer:
            continue
    return found


key = _key  # how header words, unit names and specialties are compared
