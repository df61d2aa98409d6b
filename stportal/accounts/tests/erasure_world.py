"""A trainee with something of theirs in every place the product keeps personal data, built
through the services, for the erasure tests (GDPR, SPEC 7), and a search of the whole
database for what identifies them."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum
from reportlab.pdfgen.canvas import Canvas

from stportal.accounts import completion_services as completion_proposals
from stportal.accounts import services as account_services
from stportal.accounts.models import Role, TraineeProfile
from stportal.annualreport import services as annual_reports
from stportal.assessments import services as assessment_services
from stportal.attendance import services as attendance_services
from stportal.attendance.models import CourseResult
from stportal.attendance.tests.fixtures import AFTER_COURSE, DURING_COURSE, OPEN, attend
from stportal.certificates import services as certificate_services
from stportal.certificates.models import Certificate
from stportal.completion import services as completion_services
from stportal.funding import services as funding_services
from stportal.plan import services as plan_services
from stportal.registrations import services as registration_services
from stportal.registrations.models import Fee, FeeStatus, Registration, RegistrationLine
from stportal.secondments import services as secondment_services
from stportal.statements import services as statement_services
from stportal.studytime import services as studytime_services
from stportal.studytime.models import StudyActivity
from stportal.testing import factories

FIRST_NAME = "Ingegärd"
LAST_NAME = "Zetterqvist-Öhlund"
EMAIL = "ingegard.zetterqvist@example.org"
OLD_PERSONAL_ID = "198503152384"  # the number first entered, corrected later
PERSONAL_ID = "198503142401"
# Long after her ST and her last activity: past any retention period of ten years.
LONG_AFTER = dt.date(2045, 1, 1)


def pdf_saying(text: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def forms_of(personal_id: str) -> list[str]:
    short = personal_id[2:]
    return [personal_id, f"{personal_id[:8]}-{personal_id[8:]}", short, f"{short[:6]}-{short[6:]}"]


NEEDLES = [FIRST_NAME, LAST_NAME, EMAIL, *forms_of(PERSONAL_ID), *forms_of(OLD_PERSONAL_ID)]


@dataclass
class World:
    trainee: TraineeProfile
    other: TraineeProfile


def build(
    *, leka, etik, ledarskap, course_admin, course_leader, certifier, home_unit, seat
) -> World:
    """Ingegärd (2015, allmänmedicin) and Göran, both seated on LEKA A 2027."""
    supervisor = factories.user_with_role(Role.SUPERVISOR, region=home_unit.region)
    trainee = factories.TraineeFactory(
        home_unit=home_unit,
        personal_id=OLD_PERSONAL_ID,
        supervisor=supervisor,
        user__username="ingegard",
        user__first_name=FIRST_NAME,
        user__last_name=LAST_NAME,
        user__email=EMAIL,
    )
    # The number corrected: the history table keeps the old one.
    trainee.personal_id = PERSONAL_ID
    trainee.save()
    # Her log-in through the region's identity provider, with the claims it sent.
    SocialAccount.objects.create(
        user=trainee.user,
        provider="region",
        uid="idp-subject-4711",
        extra_data={
            "sub": "idp-subject-4711",
            "given_name": FIRST_NAME,
            "family_name": LAST_NAME,
            "email": EMAIL,
            "email_verified": True,
        },
    )
    other = factories.TraineeFactory(
        home_unit=factories.HomeUnitFactory(region=home_unit.region),
        user__username="goran",
        user__first_name="Göran",
        user__last_name="Ärlig",
    )
    registration_services.register_for_course_week(
        actor=trainee.user,
        week=leka,
        trainee=trainee,
        dietary_needs=f"Glutenfri kost ({FIRST_NAME} {LAST_NAME})",
        note=f"Ring {FIRST_NAME} på 070-1234567",
        now=OPEN,
    )
    seat(other)
    for person in (trainee, other):
        registration = Registration.objects.get(trainee=person, course_week=leka)
        # Ledarskap cancelled inside the cancellation period: a late-cancellation fee.
        registration_services.cancel_registration_lines(
            actor=person.user,
            registration=registration,
            course_ids=[ledarskap.pk],
            reason=f"Sjuk, {person.user.first_name} {person.user.last_name}",
            now=DURING_COURSE,
        )
        attend(course_leader, etik, registration, "PPP")
    attendance_services.close_register(actor=course_leader, course=etik, now=AFTER_COURSE)
    certificate_services.issue_certificates(actor=certifier, course=etik, now=AFTER_COURSE)
    about_her = f"{FIRST_NAME} {LAST_NAME} {PERSONAL_ID}"
    application = funding_services.submit_application(
        actor=trainee.user,
        trainee=trainee,
        costs=[funding_services.Cost("fee", 4500)],
        course_title="Akut omhändertagande",
        provider="Kursgivaren AB",
        start_date=dt.date(2027, 5, 3),
        end_date=dt.date(2027, 5, 5),
        motivation=f"Jag, {FIRST_NAME}, behöver kursen.",
        goal_codes=["a1"],
        now=AFTER_COURSE,
    )
    application = funding_services.decide_application(
        actor=certifier,
        application=application,
        approved=True,
        comment=f"Beviljas {FIRST_NAME}.",
        exception_reason=f"{FIRST_NAME} behöver just denna kurs.",
        now=AFTER_COURSE,
    )
    funding_services.attach_certificate(
        actor=trainee.user,
        application=application,
        data=pdf_saying(about_her),
        filename=f"intyg-{LAST_NAME}.pdf",
        now=AFTER_COURSE,
    )
    statement_services.write_statement(
        actor=supervisor,
        trainee=trainee,
        text=f"{FIRST_NAME} {LAST_NAME} har utvecklats väl under perioden.",
        now=AFTER_COURSE,
    )
    item = plan_services.add_plan_item(
        actor=trainee.user,
        trainee=trainee,
        kind="placement",
        title="Vårdcentralen Ersboda",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
        extent_percent=100,
        goal_codes=["a1"],
        note=f"Handledare känner {FIRST_NAME} sedan tidigare.",
        now=AFTER_COURSE,
    )
    plan_services.attach_plan_certificate(
        actor=trainee.user,
        item=item,
        data=pdf_saying(about_her),
        filename=f"tjanstgoring-{LAST_NAME}.pdf",
        now=AFTER_COURSE,
    )
    assessment_services.request_assessment(
        actor=trainee.user,
        trainee=trainee,
        kind="mini_cex",
        assessor_name="Bertil Bedömare",
        assessor_email="bertil.bedomare@example.org",
        goal_codes=["a1", "b1"],
        context=f"Konsultation där {FIRST_NAME} handlade självständigt.",
        now=AFTER_COURSE,
    )
    secondment_services.plan_secondment(
        actor=trainee.user,
        trainee=trainee,
        kind="psychiatry",
        place="Psykiatriska kliniken, NUS",
        start_date=dt.date(2027, 9, 1),
        note=f"{FIRST_NAME} har barn på förskola i Umeå.",
        now=AFTER_COURSE,
    )
    studytime_services.log_study_time(
        actor=trainee.user,
        trainee=trainee,
        day=dt.date(2027, 3, 26),
        hours=Decimal("2"),
        activity=StudyActivity.objects.order_by("pk").first(),
        note=f"Läste på inför examination ({LAST_NAME}).",
        now=AFTER_COURSE,
    )
    completion_services.keep_summary_certificate(
        actor=trainee.user,
        trainee=trainee,
        kind="specialist_competence",
        data=pdf_saying(about_her),
        filename=f"specialistkompetens-{LAST_NAME}.pdf",
        now=AFTER_COURSE,
    )
    completion_proposals.propose_planned_completion_change(
        actor=trainee.user,
        trainee=trainee,
        planned_completion=trainee.planned_completion + dt.timedelta(days=180),
        reason=f"Föräldraledig, {FIRST_NAME} {LAST_NAME}",
        now=AFTER_COURSE,
    )
    report = annual_reports.create_report(
        actor=trainee.user, trainee=trainee, year=2027, now=AFTER_COURSE
    )
    annual_reports.write_part(
        actor=trainee.user,
        report=report,
        text=f"Jag, {FIRST_NAME} {LAST_NAME}, har lärt mig mycket i år.",
        now=AFTER_COURSE,
    )
    # The account closed by staff (she left the programme).
    account_services.change_user(
        actor=course_admin, user=trainee.user, changes={"is_active": False}
    )
    trainee.refresh_from_db()
    return World(trainee=trainee, other=other)


def fee_ledger() -> dict:
    """The fee ledger's totals: charged amounts per home unit, and in all."""
    charged = Fee.objects.filter(status=FeeStatus.CHARGED)
    per_unit = dict(
        charged.values("home_unit_id")
        .annotate(total=Sum("amount"), fees=Count("id"))
        .values_list("home_unit_id", "total")
    )
    return {"per_unit": per_unit, "total": charged.aggregate(total=Sum("amount"))["total"]}


def statistics() -> dict:
    return {
        "registrations": Registration.objects.count(),
        "lines": RegistrationLine.objects.count(),
        "results": CourseResult.objects.count(),
        "passed": CourseResult.objects.filter(result="passed").count(),
        "certificates": Certificate.objects.count(),
        "fees": Fee.objects.count(),
    }


_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def _binary_texts(data: bytes) -> list[bytes]:
    """The bytes, and every deflated stream inside them (a PDF's compressed content)."""
    found = [data]
    for match in _STREAM.finditer(data):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return found


def _variants(needle: str) -> list[str]:
    escaped = json.dumps(needle)[1:-1]
    return [needle.lower(), escaped.lower()]


def search_database(needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle appears, reading every value of every
    column of every table as text (binary values as bytes, compressed streams inflated)."""
    hits = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(name) for name in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, memoryview | bytes | bytearray):
                        texts = [t.lower() for t in _binary_texts(bytes(value))]
                        for needle in needles:
                            encoded = needle.lower().encode()
                            if any(encoded in text for text in texts):
                                hits.append((table, column, needle))
                        continue
                    text = (
                        json.dumps(value, ensure_ascii=False)
                        if isinstance(value, dict | list)
                        else str(value)
                    ).lower()
                    for needle in needles:
                        if any(variant in text for variant in _variants(needle)):
                            hits.append((table, column, needle))
    return sorted(set(hits))


def search_media(needles: list[str]) -> list[str]:
    """Files under MEDIA_ROOT that name them (or hold a needle in their content)."""
    root = Path(settings.MEDIA_ROOT)
    found = []
    if not root.exists():
        return found
    for path in root.rglob("*"):
        if path.is_file():
            content = [t.lower() for t in _binary_texts(path.read_bytes())]
            for needle in needles:
                if needle.lower() in path.name.lower() or any(
                    needle.lower().encode() in text for text in content
                ):
                    found.append(str(path))
    return found
