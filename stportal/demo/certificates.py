"""Demo states of attendance, results and course certificates (C17–C19), made through the
services with their instants in the past, relative to today.

In the finished week 25 trainees and `stlakare` registered on time and were all seated. Then:

- the course `kursledare` leads has an empty register, for `kursledare` to fill and close in
  the browser;
- every other course has its register filled and closed: most participants passed with full
  attendance; one passed without it (with the reason), one was marked incomplete and passed
  after the make-up, one is still incomplete, one did not pass, and one was a no-show whose
  fee the course administration waived (an illness reported afterwards);
- their certificates were issued in print batches and stand in every state: issued, printed,
  signed, handed out (`stlakare`'s, so the trainee can download a copy), posted, one revoked
  and one reissued as a new original.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from stportal.accounts.models import TraineeProfile, User
from stportal.attendance import services as attendance
from stportal.certificates import services as certificates
from stportal.certificates.models import Certificate
from stportal.core.dates import end_of_day, start_of_day
from stportal.courses.models import Course, CourseWeek
from stportal.registrations import services as registrations
from stportal.registrations.models import Fee, Registration

IN_FINISHED_WEEK = 25
# Trainees of the finished week, by position in the list, who do something other than attend.
PASSED_WITH_REASON = 3
INCOMPLETE_THEN_PASSED = 5
STILL_INCOMPLETE = 7
NOT_PASSED = 9
NO_SHOW = 11


def _at(instant: dt.datetime) -> dt.datetime:
    """Never later than now: every demo state lies in the past."""
    return min(instant, timezone.now())


def _registered(week: CourseWeek, counter: Callable[[str], None]) -> list[Registration]:
    staff = User.objects.get(username="kursadmin")
    stlakare = TraineeProfile.objects.get(user__username="stlakare")
    others = list(
        TraineeProfile.objects.exclude(pk=stlakare.pk)
        .select_related("user", "home_unit")
        .order_by("-personal_id")[:IN_FINISHED_WEEK]
    )
    opened = start_of_day(week.invitation_date) + dt.timedelta(hours=9)
    made = []
    for index, trainee in enumerate([stlakare, *others]):
        made.append(
            registrations.register_for_course_week(
                actor=trainee.user,
                week=week,
                trainee=trainee,
                needs_lodging=trainee.home_unit.away_from_host_site,
                now=opened + dt.timedelta(hours=7 * index),
            )
        )
        counter("registrations")
    registrations.run_allocation(
        actor=staff,
        week=week,
        dry_run=False,
        now=end_of_day(week.registration_deadline) + dt.timedelta(days=1, hours=9),
    )
    return made


def _close_register(
    course: Course, people: list[Registration], position: int, counter: Callable[[str], None]
) -> None:
    """Fill and close one course's register; each course has its own exceptions."""
    leader = course.leaders.order_by("pk").first()
    days = sorted(course.days.values_list("date", flat=True))
    recorded = _at(start_of_day(days[-1]) + dt.timedelta(hours=16))
    # The demo's courses last one day each. Someone absent on every course day is a no-show
    # whatever result is recorded (C17), so those given a result came, and left early.
    absent = {
        0: PASSED_WITH_REASON,
        1: INCOMPLETE_THEN_PASSED,
        2: STILL_INCOMPLETE,
        3: NO_SHOW,
    }.get(position)
    failed = NOT_PASSED if position == 1 else None
    notes = {
        absent: "Gick efter lunch för jour." if absent != NO_SHOW else "Sjukanmäld på morgonen.",
        failed: "Lämnade kursen efter en timme.",
    }
    attendance.record_attendance(
        actor=leader,
        course=course,
        records=[
            (registration.pk, day, index != NO_SHOW or absent != NO_SHOW, notes.get(index, ""))
            for index, registration in enumerate(people)
            for day in days
        ],
        now=recorded,
    )
    counter("attendance_records")
    results = []
    if absent == PASSED_WITH_REASON:
        reason = "Missade dagen för jour men gjorde en skriftlig ersättningsuppgift som godkänts."
        results.append((people[absent].pk, "passed", reason))
    elif absent in (INCOMPLETE_THEN_PASSED, STILL_INCOMPLETE):
        makeup = "Skriftlig reflektion över ett fall från den egna kliniken, två sidor."
        results.append((people[absent].pk, "incomplete", makeup))
    if failed is not None:
        reason = "Lämnade kursen efter en timme och deltog inte i gruppövningarna."
        results.append((people[failed].pk, "not_passed", reason))
    if results:
        attendance.record_results(actor=leader, course=course, results=results, now=recorded)
    attendance.close_register(actor=leader, course=course, now=recorded)
    counter("closed_registers")


def _move(certificate: Certificate, state: str, when: dt.datetime) -> None:
    certificates.set_certificate_state(
        actor=User.objects.get(username="kursadmin"),
        certificate=certificate,
        state=state,
        now=_at(when),
    )


def fill_finished_week(*, week: CourseWeek, today: dt.date, counter: Callable[[str], None]) -> None:
    people = _registered(week, counter)
    courses = list(week.courses.order_by("position", "pk"))
    others = [c for c in courses if not c.leaders.filter(username="kursledare").exists()]
    for position, course in enumerate(others):
        _close_register(course, people, position, counter)

    director = User.objects.get(username="studierektor")
    staff = User.objects.get(username="kursadmin")
    issued_at = end_of_day(week.end_date) + dt.timedelta(days=2, hours=10)
    batches: list[list[Certificate]] = []
    for course in others:
        batch = certificates.issue_certificates(actor=director, course=course, now=_at(issued_at))
        batches.append(batch)
        counter("certificates")
    day = dt.timedelta(days=1)

    # The first course: printed, signed, then handed out at the next ST day or posted;
    # one original was lost in the post and has been reissued.
    first = batches[0]
    for certificate in first:
        _move(certificate, "printed", issued_at + day)
        _move(certificate, "signed", issued_at + 3 * day)
    for index, certificate in enumerate(first):
        mine = certificate.line.registration_id == people[0].pk
        if mine or index % 2 == 0:
            _move(certificate, "handed_out", issued_at + 7 * day)
        else:
            _move(certificate, "posted", issued_at + 8 * day)
    lost = Certificate.objects.filter(batch_id=first[0].batch_id, state="posted").first()
    if lost is not None:
        certificates.reissue_certificate(
            actor=staff,
            certificate=lost,
            reason="Originalet kom aldrig fram med posten; ST-läkaren bad om ett nytt.",
            now=_at(issued_at + 20 * day),
        )
    # The second course: printed and signed, waiting to be handed out.
    for certificate in batches[1] if len(batches) > 1 else []:
        _move(certificate, "printed", issued_at + day)
        _move(certificate, "signed", issued_at + 4 * day)
    # The third course: printed, waiting for the signature.
    for certificate in batches[2] if len(batches) > 2 else []:
        _move(certificate, "printed", issued_at + 2 * day)
    # The fourth course: issued only; one was revoked.
    if len(batches) > 3 and batches[3]:
        certificates.revoke_certificate(
            actor=staff,
            certificate=batches[3][-1],
            reason="Utfärdat av misstag innan deltagarens närvaro hade kontrollerats.",
            now=_at(issued_at + 5 * day),
        )

    # The make-up done: the incomplete participant of the second course passes and gets a
    # certificate of their own batch.
    if len(others) > 1:
        completed = _at(issued_at + 14 * day)
        attendance.record_results(
            actor=others[1].leaders.order_by("pk").first(),
            course=others[1],
            results=[(people[INCOMPLETE_THEN_PASSED].pk, "passed", "")],
            now=completed,
        )
        certificates.issue_certificates(actor=director, course=others[1], now=completed)
        counter("certificates")

    # The no-show was ill: the course administration records the reason and waives the fee.
    no_show = people[NO_SHOW]
    if Fee.objects.filter(registration=no_show, status="charged").exists():
        registrations.record_acceptable_reason(
            actor=staff,
            registration=no_show,
            reason="Sjuk under kursdagen; läkarintyg inkom i efterhand.",
            now=_at(issued_at + 3 * day),
        )


def load_certificate_forms(directory: Path) -> list[tuple[str, str | None, bool]]:
    """`stportal demo --certificate-forms DIR` (C18a): every PDF in DIR that is one of
    Socialstyrelsen's course-certificate forms is uploaded for the version it is, through the
    same check staff uploads get. A form already current is left as it is. Returns
    (file name, version or None when it is no course form, whether it was newly loaded)."""
    from stportal.certificates.pdf import detect_version

    loaded: list[tuple[str, str | None, bool]] = []
    for path in sorted(directory.glob("*.pdf")):
        data = path.read_bytes()
        version = detect_version(data)
        if version is None:
            loaded.append((path.name, None, False))
            continue
        current = certificates.current_form(version)
        form = certificates.upload_certificate_form(
            actor=None, pdf_bytes=data, version=version, filename=path.name
        )
        loaded.append((path.name, version, current is None or current.pk != form.pk))
    return loaded
