"""Two regions with every role of SPEC 2 and an object of every kind, for the authorisation
matrix (security review, issue 8). Built through the services, on one frozen day.

Each region holds:

- a course admin, a regional study director, a study director of the owner's area, a
  supervisor of the owner and one of another trainee, a course leader who leads one course of
  every week and another leader who leads the other course, the unit manager of the owner's
  home unit (the unit that pays) and the manager of another unit;
- the owner (a trainee with a registration in every week), another trainee and a "filler"
  trainee who takes the only seat of a course;
- four course weeks, on the day the matrix runs (`NOW`, 12 April 2027):
  * `draft_week`, not published;
  * `open_week`, published and open for registration: the owner and the other trainee have
    registered (`open_registration` is the owner's);
  * `alloc_week`, allocated, starting in a week: its first course has one seat, which the filler
    held and gave up an hour ago, so the owner (`offer_registration`) holds an offer of it;
  * `done_week`, finished: the register of `etik` (the leader's course) is closed, both
    trainees attended and hold certificates of one print batch (`certificate`, `batch`);
    the owner did not come to `ledarskap` (the other leader's course), whose closed register
    charged a no-show fee to the owner's home unit (`done_registration`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stportal.accounts.models import Area, HomeUnit, Region, Role, TraineeProfile, User
from stportal.accounts.services import create_home_unit, create_trainee
from stportal.attendance import services as attendance_services
from stportal.certificates import replacements
from stportal.certificates import services as certificate_services
from stportal.certificates.models import Certificate, CertificateBatch, ReplacementRequest
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.courses.models import Course, CourseWeek
from stportal.curricula.models import CurriculumVersion, Goal, Specialty
from stportal.registrations import services as registration_services
from stportal.registrations.models import Registration
from stportal.testing import factories


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=STOCKHOLM)


NOW = at(2027, 4, 12, 9)


@dataclass
class RegionWorld:
    region: Region
    area: Area
    home_unit: HomeUnit
    other_unit: HomeUnit
    course_admin: User
    regional_study_director: User
    study_director: User
    supervisor: User
    other_supervisor: User
    course_leader: User
    other_leader: User
    unit_manager: User
    other_unit_manager: User
    owner: TraineeProfile
    other_trainee: TraineeProfile
    filler: TraineeProfile
    draft_week: CourseWeek
    open_week: CourseWeek
    open_course: Course
    alloc_week: CourseWeek
    offer_course: Course
    done_week: CourseWeek
    etik: Course
    ledarskap: Course
    open_registration: Registration
    other_open_registration: Registration
    offer_registration: Registration
    done_registration: Registration
    certificate: Certificate
    batch: CertificateBatch
    replacement_request: ReplacementRequest


@dataclass
class World:
    a: RegionWorld
    b: RegionWorld


def _trainee(
    code: str, name: str, unit: HomeUnit, supervisor: User, completion: dt.date
) -> TraineeProfile:
    profile = create_trainee(
        actor=None,
        first_name=name.capitalize(),
        # Unique in the world, so that a list showing this person can be told apart.
        last_name=f"{name.capitalize()}{code.capitalize()}",
        email=f"{name}-{code}@example.org",
        personal_id=factories.make_personal_id(),
        specialty=Specialty.objects.get(code="allmanmedicin"),
        curriculum_version=CurriculumVersion.objects.get(code="2015"),
        planned_completion=completion,
        home_unit=unit,
        st_start=dt.date(2022, 9, 1),
        supervisor=supervisor,
        username=f"{name}-{code}",
        today=NOW.date(),
    )
    # A trainee sets a password when they first log in (the account page needs one).
    profile.user.set_password("secret")
    profile.user.save(update_fields=["password"])
    return profile


def _week(
    admin: User,
    series,
    title: str,
    start: dt.date,
    invitation: dt.date,
    deadline: dt.date,
    leaders: tuple[User, User],
) -> tuple[CourseWeek, Course, Course]:
    week = course_services.create_course_week(
        actor=admin,
        series=series,
        title=title,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Umeå",
        capacity=60,
        invitation_date=invitation,
        registration_deadline=deadline,
        late_cancellation_fee=3000,
    )
    goals = Goal.objects.filter(specialty=None, version__code="2015", code="a1")
    first = course_services.add_course(
        actor=admin,
        week=week,
        title="Etik",
        days=[start, start + dt.timedelta(days=1), start + dt.timedelta(days=2)],
        leaders=[leaders[0]],
        goals=goals,
    )
    second = course_services.add_course(
        actor=admin,
        week=week,
        title="Ledarskap",
        days=[start + dt.timedelta(days=3)],
        leaders=[leaders[1]],
        goals=goals,
    )
    return week, first, second


def _register(week: CourseWeek, trainee: TraineeProfile, now: dt.datetime) -> Registration:
    return registration_services.register_for_course_week(
        actor=trainee.user, week=week, trainee=trainee, now=now
    )


def build_region(code: str, name: str) -> RegionWorld:
    region = factories.RegionFactory(name=name, code=code)
    series = factories.CourseSeriesFactory(region=region)
    area = factories.AreaFactory(region=region, name=f"Område {code}")
    other_area = factories.AreaFactory(region=region, name=f"Annat område {code}")
    unit = create_home_unit(
        actor=None, region=region, name=f"HC Centrum {code}", area=area, cost_centre="KS1"
    )
    other_unit = create_home_unit(
        actor=None, region=region, name=f"HC Norr {code}", area=other_area, cost_centre="KS2"
    )

    def person(role: str, username: str, **scope) -> User:
        return factories.user_with_role(role, region=region, username=f"{username}-{code}", **scope)

    admin = person(Role.COURSE_ADMIN, "kursadmin")
    director = person(Role.REGIONAL_STUDY_DIRECTOR, "overgripande")
    study_director = person(Role.STUDY_DIRECTOR, "studierektor", area=area)
    supervisor = person(Role.SUPERVISOR, "handledare")
    other_supervisor = person(Role.SUPERVISOR, "handledare2")
    leader = person(Role.COURSE_LEADER, "kursledare")
    other_leader = person(Role.COURSE_LEADER, "kursledare2")
    manager = person(Role.UNIT_MANAGER, "enhetschef", home_unit=unit)
    other_manager = person(Role.UNIT_MANAGER, "enhetschef2", home_unit=other_unit)

    owner = _trainee(code, "agare", unit, supervisor, dt.date(2028, 6, 30))
    other = _trainee(code, "annan", other_unit, other_supervisor, dt.date(2028, 6, 30))
    filler = _trainee(code, "fore", other_unit, other_supervisor, dt.date(2027, 12, 31))
    leaders = (leader, other_leader)

    # The finished week: both trainees seated; the owner misses "Ledarskap" (a no-show fee).
    done, etik, ledarskap = _week(
        admin,
        series,
        f"LEKA A 2027 {code}",
        dt.date(2027, 3, 22),
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 15),
        leaders,
    )
    course_services.publish_course_week(actor=admin, week=done, now=at(2026, 9, 2))
    done_registration = _register(done, owner, at(2026, 9, 15))
    other_done = _register(done, other, at(2026, 9, 16))
    registration_services.run_allocation(
        actor=admin, week=done, dry_run=False, now=at(2026, 10, 20)
    )
    after = at(2027, 3, 29, 9)
    for course, owner_came in ((etik, True), (ledarskap, False)):
        course_leader = course.leaders.get()
        days = sorted(course.days.values_list("date", flat=True))
        attendance_services.record_attendance(
            actor=course_leader,
            course=course,
            records=[
                (registration.pk, day, came, "")
                for registration, came in ((done_registration, owner_came), (other_done, True))
                for day in days
            ],
            now=after,
        )
        attendance_services.close_register(actor=course_leader, course=course, now=after)
    issued = certificate_services.issue_certificates(
        actor=director, course=etik, now=at(2027, 3, 30, 10)
    )
    certificate = next(c for c in issued if c.line.registration_id == done_registration.pk)
    # The owner lost the original and asked for a new one (C19).
    replacement_request = replacements.request_replacement(
        actor=owner.user, certificate=certificate, reason="Borttappat.", now=at(2027, 4, 2, 10)
    )

    # The allocated week, starting in a week: the first course has one seat; the filler had it
    # and gave it up inside the cancellation period, so it is offered to the owner (C11).
    alloc, offer_course, _second = _week(
        admin,
        series,
        f"LEKA B 2027 {code}",
        dt.date(2027, 4, 19),
        dt.date(2027, 1, 11),
        dt.date(2027, 3, 1),
        leaders,
    )
    registration_services.change_course_capacity(
        actor=admin, course=offer_course, capacity=1, now=at(2027, 1, 11)
    )
    course_services.publish_course_week(actor=admin, week=alloc, now=at(2027, 1, 11))
    filler_registration = _register(alloc, filler, at(2027, 1, 20))
    offer_registration = _register(alloc, owner, at(2027, 1, 21))
    registration_services.run_allocation(actor=admin, week=alloc, dry_run=False, now=at(2027, 3, 3))
    registration_services.cancel_registration_lines(
        actor=filler.user,
        registration=filler_registration,
        course_ids=[offer_course.pk],
        reason="Jouren ändrades.",
        now=NOW - dt.timedelta(hours=1),
    )

    # The week open for registration.
    open_week, open_course, _open_second = _week(
        admin,
        series,
        f"LEKA A 2028 {code}",
        dt.date(2027, 9, 20),
        dt.date(2027, 4, 1),
        dt.date(2027, 5, 14),
        leaders,
    )
    course_services.publish_course_week(actor=admin, week=open_week, now=at(2027, 4, 1))
    open_registration = _register(open_week, owner, at(2027, 4, 5))
    other_open_registration = _register(open_week, other, at(2027, 4, 6))

    draft, _draft_first, _draft_second = _week(
        admin,
        series,
        f"LEKA B 2028 {code}",
        dt.date(2027, 11, 15),
        dt.date(2027, 8, 1),
        dt.date(2027, 9, 30),
        leaders,
    )

    def fresh(week: CourseWeek) -> CourseWeek:
        return CourseWeek.objects.get(pk=week.pk)

    return RegionWorld(
        region=region,
        area=area,
        home_unit=unit,
        other_unit=other_unit,
        course_admin=admin,
        regional_study_director=director,
        study_director=study_director,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        course_leader=leader,
        other_leader=other_leader,
        unit_manager=manager,
        other_unit_manager=other_manager,
        owner=owner,
        other_trainee=other,
        filler=filler,
        draft_week=fresh(draft),
        open_week=fresh(open_week),
        open_course=open_course,
        alloc_week=fresh(alloc),
        offer_course=offer_course,
        done_week=fresh(done),
        etik=etik,
        ledarskap=ledarskap,
        open_registration=open_registration,
        other_open_registration=other_open_registration,
        offer_registration=offer_registration,
        done_registration=done_registration,
        certificate=certificate,
        batch=certificate.batch,
        replacement_request=replacement_request,
    )


def build_world() -> World:
    return World(
        a=build_region("testland", "Region Testland"),
        b=build_region("annanstans", "Region Annanstans"),
    )
