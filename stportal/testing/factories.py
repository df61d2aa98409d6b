"""factory_boy factories for reference data and people. Rule-governed state (registrations,
lines, fees) is built through the services, never by factories poking fields."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from stportal.accounts.models import (
    Area,
    HomeUnit,
    Region,
    Role,
    RoleAssignment,
    TraineeProfile,
    User,
)
from stportal.core.personnummer import luhn_check_digit
from stportal.courses.models import CourseSeries
from stportal.curricula.models import CurriculumVersion, Specialty

_serials = itertools.count(100)


def make_personal_id(birth: dt.date = dt.date(1990, 1, 1)) -> str:
    """A valid, unique 12-digit personal identity number for tests."""
    serial = f"{next(_serials) % 1000:03d}"
    nine = f"{birth:%y%m%d}{serial}"
    return f"{birth:%Y%m%d}{serial}{luhn_check_digit(nine)}"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = "Region Testland"
    code = "testland"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Område {n}")
    purchaser_id = factory.Sequence(lambda n: f"B{1000 + n}")
    invoice_address = "Region Testland, Fakturaskanning, Box 1, 901 85 Umeå"


class HomeUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeUnit

    region = factory.SubFactory(RegionFactory)
    area = factory.SubFactory(AreaFactory, region=factory.SelfAttribute("..region"))
    name = factory.Sequence(lambda n: f"Hälsocentral {n}")
    cost_centre = factory.Sequence(lambda n: f"KS{4000 + n}")
    away_from_host_site = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "secret")
        if create:
            self.save(update_fields=["password"])


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    personal_id = factory.LazyFunction(make_personal_id)
    specialty = factory.LazyFunction(lambda: Specialty.objects.get(code="allmanmedicin"))
    curriculum_version = factory.LazyFunction(lambda: CurriculumVersion.objects.get(code="2015"))
    st_start = dt.date(2022, 9, 1)
    planned_completion = dt.date(2028, 6, 30)
    employment_percent = 100
    home_unit = factory.SubFactory(HomeUnitFactory)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            RoleAssignment.objects.get_or_create(
                user=self.user, role=Role.TRAINEE, region=self.home_unit.region
            )


class CourseSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSeries
        django_get_or_create = ("region", "name")

    region = factory.SubFactory(RegionFactory)
    name = "LEKA A"
    default_iso_week = 12
    invitation_month = 9
    invitation_months_before = True
    deadline_day = 15
    deadline_month = 10
    deadline_in_year_before = True
    main_goals = "a-delmål (2015)"
    default_place = "Umeå"
    default_capacity = 60
    default_fee = 3000
    host_site = "NUS"


def user_with_role(
    role: str, *, region: Region | None = None, username: str | None = None, **scope
) -> User:
    region = region or RegionFactory()
    user = UserFactory(username=username) if username else UserFactory()
    RoleAssignment.objects.get_or_create(user=user, role=role, region=region, **scope)
    return user
