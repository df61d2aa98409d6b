"""HR import of trainees and planned completion dates (SPEC C5a, issue 9 rule fix 3): a dry run
reports every row it would create, change or refuse and why, and creates nothing; the import
creates trainees and changes dates as confirmed changes with history. Staff only, into their
own regions only; personal identity numbers never shown unmasked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from stportal.accounts import hr_import, import_services
from stportal.accounts.models import (
    PlannedCompletionChange,
    PlannedCompletionSource,
    TraineeProfile,
    User,
)
from stportal.core.errors import PermissionDenied, ValidationFailed
from stportal.core.models import AuditEvent
from stportal.notifications.models import OutboxMessage
from stportal.testing import factories

HEADER = (
    "Personnummer;Förnamn;Efternamn;E-post;Basenhet;Specialitet;Målbeskrivning;"
    "Planerat slutdatum;Tjänstgöringsgrad;ST-start"
)
NEW_ID = factories.make_personal_id(dt.date(1991, 4, 17))
BAD_ID = "19910417-1235"  # wrong check digit


@pytest.fixture
def foreign_trainee(other_region):
    return factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=other_region), user__username="st-annan"
    )


@pytest.fixture
def same(home_unit):
    return factories.TraineeFactory(home_unit=home_unit, user__username="st-samma")


def _csv(trainee, foreign_trainee, home_unit) -> bytes:
    same = TraineeProfile.objects.exclude(pk=trainee.pk).get(home_unit=home_unit)
    rows = [
        HEADER,
        # 2: a new trainee, home unit by cost centre, the short personnummer form
        f"{NEW_ID[2:8]}-{NEW_ID[8:]};Nora;Ny;nora.ny@example.org;{home_unit.cost_centre};"
        "Allmänmedicin;2015;2029-06-30;80 %;2024-09-01",
        # 3: an existing trainee of ours with a new date
        f"{trainee.personal_id};{trainee.user.first_name};{trainee.user.last_name};"
        f"{trainee.user.email};{home_unit.name};allmanmedicin;2015;2029-01-31;100;",
        # 4: an invalid personnummer
        f"{BAD_ID};Fel;Nummer;fel@example.org;{home_unit.name};Allmänmedicin;2015;2029-06-30;100;",
        # 5: a trainee of another region
        f"{foreign_trainee.personal_id};Annan;Region;annan@example.org;{home_unit.name};"
        "Allmänmedicin;2015;2029-06-30;100;",
        # 6: unknown unit, specialty and version
        f"{factories.make_personal_id(dt.date(1992, 2, 2))};Okänd;Enhet;ok@example.org;"
        "Finns inte;Kirurgi okänd;2019;2029-06-30;100;",
        # 7: another trainee of ours whose date is already right: nothing to change
        f"{same.personal_id};X;Y;x@example.org;{home_unit.name};Allmänmedicin;2015;2028-06-30;100;",
        # 8: row 3's person again
        f"{trainee.personal_id};X;Y;x@example.org;{home_unit.name};Allmänmedicin;2015;"
        "2030-06-30;100;",
    ]
    return ("\n".join(rows) + "\n").encode("cp1252")


def test_dry_run_creates_nothing_and_reports_every_row(
    course_admin, trainee, foreign_trainee, home_unit, same
):
    """C5a: the dry run says per row (by number) what would happen and why; nothing changes,
    and no personal identity number is shown unmasked."""
    data = _csv(trainee, foreign_trainee, home_unit)
    users_before = User.objects.count()
    report = import_services.import_trainees(
        actor=course_admin, data=data, filename="hr.csv", dry_run=True
    )
    by_row = {row.number: row for row in report.rows}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7, 8]
    assert by_row[2].action == hr_import.CREATE
    assert by_row[3].action == hr_import.CHANGE
    assert by_row[3].old_date == dt.date(2028, 6, 30)
    assert by_row[4].action == hr_import.REFUSE
    assert "Ogiltigt personnummer" in " ".join(by_row[4].problems)
    assert by_row[5].action == hr_import.REFUSE
    assert by_row[6].action == hr_import.REFUSE
    assert len(by_row[6].problems) == 3  # unit, specialty, version
    assert by_row[7].action == hr_import.UNCHANGED
    # Row 8 repeats row 3's person: refused as a duplicate.
    assert by_row[8].action == hr_import.REFUSE
    assert (report.created, report.changed, report.unchanged, report.refused) == (1, 1, 1, 4)
    assert User.objects.count() == users_before
    assert not PlannedCompletionChange.objects.exists()
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 6, 30)
    assert not AuditEvent.objects.filter(action__startswith="trainee").exists()
    text = " ".join(
        f"{row.masked_personal_id} {import_services.describe_row(row, dry_run=True)}"
        for row in report.rows
    )
    for secret in (NEW_ID, trainee.personal_id, foreign_trainee.personal_id, NEW_ID[8:]):
        assert secret not in text
    assert f"{NEW_ID[:8]}-****" in text


def test_import_creates_trainees_and_changes_dates_with_history(
    course_admin, trainee, foreign_trainee, home_unit, same
):
    """C5a: the real import creates the new trainee, changes the existing trainee's date as a
    confirmed change (source HR import, with its reason), audits both, refuses the rest, and
    leaves the other region's trainee untouched."""
    data = _csv(trainee, foreign_trainee, home_unit)
    foreign_date = foreign_trainee.planned_completion
    report = import_services.import_trainees(
        actor=course_admin, data=data, filename="hr.csv", dry_run=False
    )
    assert (report.created, report.changed) == (1, 1)
    created = TraineeProfile.objects.get(personal_id=NEW_ID)
    assert created.home_unit == home_unit
    assert created.planned_completion == dt.date(2029, 6, 30)
    assert created.employment_percent == 80
    assert created.st_start == dt.date(2024, 9, 1)
    assert created.user.email == "nora.ny@example.org"
    changed = TraineeProfile.objects.get(pk=trainee.pk)
    assert changed.planned_completion == dt.date(2029, 1, 31)
    history = PlannedCompletionChange.objects.get(trainee=trainee)
    assert history.status == "approved"
    assert history.source == PlannedCompletionSource.HR_IMPORT
    assert history.reason == "HR-import (hr.csv)"
    assert history.changed_by == course_admin and history.old_date == dt.date(2028, 6, 30)
    assert TraineeProfile.objects.get(pk=foreign_trainee.pk).planned_completion == foreign_date
    assert AuditEvent.objects.filter(action="trainee.created").count() == 1
    assert AuditEvent.objects.filter(action="planned_completion.set").count() == 1
    assert AuditEvent.objects.filter(action="trainees.imported").count() == 1
    # Imported dates are the HR system's; nobody is e-mailed about them.
    assert not OutboxMessage.objects.filter(kind__startswith="planned_completion").exists()
    # A second run finds nothing to do.
    again = import_services.import_trainees(
        actor=course_admin, data=data, filename="hr.csv", dry_run=True
    )
    assert (again.created, again.changed) == (0, 0)


def test_excel_export_is_read_like_csv(course_admin, home_unit):
    """C5a: the HR system's Excel export, with dates as Excel dates and English headers."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Personal ID",
            "First name",
            "Last name",
            "E-mail",
            "Home unit",
            "Specialty",
            "Curriculum version",
            "Planned completion",
            "Employment percent",
            "ST start",
        ]
    )
    sheet.append(
        [
            NEW_ID,
            "Eva",
            "Excel",
            "eva@example.org",
            home_unit.name,
            "Allmänmedicin",
            2021,
            dt.datetime(2030, 5, 31),
            75,
            dt.datetime(2025, 1, 1),
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_services.import_trainees(
        actor=course_admin, data=buffer.getvalue(), filename="hr.xlsx", dry_run=False
    )
    assert report.created == 1, [r.problems for r in report.rows]
    created = TraineeProfile.objects.get(personal_id=NEW_ID)
    assert created.curriculum_version.code == "2021"
    assert created.planned_completion == dt.date(2030, 5, 31)


def test_only_staff_import_and_only_into_their_regions(
    trainee, outsider_admin, home_unit, foreign_trainee, same
):
    """SPEC 2: a trainee may not import; another region's admin neither sees our units nor
    changes our trainee."""
    data = _csv(trainee, foreign_trainee, home_unit)
    with pytest.raises(PermissionDenied):
        import_services.import_trainees(
            actor=trainee.user, data=data, filename="hr.csv", dry_run=False
        )
    report = import_services.import_trainees(
        actor=outsider_admin, data=data, filename="hr.csv", dry_run=False
    )
    by_row = {row.number: row for row in report.rows}
    assert by_row[2].action == hr_import.REFUSE  # our unit is unknown to them
    assert by_row[3].action == hr_import.REFUSE  # our trainee is not theirs to change
    assert not TraineeProfile.objects.filter(personal_id=NEW_ID).exists()
    assert TraineeProfile.objects.get(pk=trainee.pk).planned_completion == dt.date(2028, 6, 30)


def test_a_file_without_the_required_columns_is_refused_whole(course_admin):
    with pytest.raises(ValidationFailed) as refused:
        import_services.import_trainees(
            actor=course_admin, data=b"namn;datum\nA;B\n", filename="x.csv", dry_run=True
        )
    assert "personnummer" in refused.value.fields["file"][0]


def test_import_page_dry_run_then_import(course_admin, trainee, foreign_trainee, home_unit, same):
    """C5a: staff upload the export on the web; the dry run's table lists every row in Swedish
    with masked numbers; the import then creates and changes."""
    client = Client()
    client.force_login(course_admin)
    data = _csv(trainee, foreign_trainee, home_unit)
    url = reverse("accounts:import_trainees")
    assert client.get(url).status_code == 200
    upload = io.BytesIO(data)
    upload.name = "hr.csv"
    page = client.post(url, {"file": upload, "dry_run": "on"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Skulle skapas" in html and "Avvisas" in html
    assert NEW_ID not in html and trainee.personal_id not in html
    assert not TraineeProfile.objects.filter(personal_id=NEW_ID).exists()
    upload = io.BytesIO(data)
    upload.name = "hr.csv"
    client.post(url, {"file": upload})
    assert TraineeProfile.objects.filter(personal_id=NEW_ID).exists()
    outsider = Client()
    outsider.force_login(trainee.user)
    assert outsider.get(url).status_code == 403


def test_import_command_dry_run_reports_rows(
    tmp_path, course_admin, trainee, foreign_trainee, home_unit, same
):
    """C5a: `stportal import-trainees FILE --dry-run` prints each row by number and saves
    nothing."""
    path = tmp_path / "hr.csv"
    path.write_bytes(_csv(trainee, foreign_trainee, home_unit))
    out = io.StringIO()
    call_command(
        "import_trainees", str(path), "--dry-run", "--user", course_admin.username, stdout=out
    )
    text = out.getvalue()
    assert "Rad 2:" in text and "Rad 7:" in text
    assert "Torrkörning" in text
    assert NEW_ID not in text
    assert not TraineeProfile.objects.filter(personal_id=NEW_ID).exists()
