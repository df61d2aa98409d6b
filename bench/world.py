"""What every database benchmark shares: its own PostgreSQL database, the environment of the
bench's Django and of the servers it starts, and people, weeks and registrations made through
the product's services (no row is bulk-inserted).

Used by `bench.rush` and `bench.allocation_db`.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"


# --- PostgreSQL and the environment -------------------------------------------------------


def postgres_answers(timeout: float = 2.0) -> bool:
    """True when something accepts connections on 127.0.0.1:5432."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=timeout):
            return True
    except OSError:
        return False


def pg_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _check_bench_name(name: str) -> None:
    # Only our own databases: CI's `stportal_ci` and the tests' `test_*` are never touched.
    if not name.startswith("stportal_bench"):
        raise ValueError(f"refusing to touch database {name!r}")


def _admin_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(sql)


def create_database(name: str) -> None:
    """Drop `name` if a failed run left it, and create it empty."""
    _check_bench_name(name)
    drop_database(name)
    _admin_execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    _check_bench_name(name)
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(*, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for the bench's own Django and for the servers it starts.

    Data, static and media folders go to a temporary folder; e-mail goes to Django's
    in-memory backend, so the product renders, queues and "sends" every message as it does
    in production, without the SMTP round trips of a real mail server.
    """
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret",
            "DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "STPORTAL_DATA_DIR": str(data_dir),
            "STATIC_ROOT": str(data_dir / "static"),
            "MEDIA_ROOT": str(data_dir / "media"),
            "EMAIL_BACKEND": os.environ.get(
                "BENCH_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
            ),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
    )
    env.update(extra)
    return env


def stportal_command() -> list[str]:
    script = Path(sys.executable).parent / "stportal"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from stportal.cli import main; main()"]


def migrate(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*stportal_command(), "migrate", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=900,
    )
    return time.perf_counter() - started


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process for `env` (once per process)."""
    os.environ.update(env)
    import django

    django.setup()


# --- people, weeks and registrations, through the services ------------------------------


@dataclass
class World:
    region: Any
    series: Any
    admin: Any
    units: list[Any]
    specialty: Any
    version: Any
    trainees_made: int = 0


def personal_id(index: int) -> str:
    """A valid, unique 12-digit personal identity number for trainee `index`."""
    from stportal.core.personnummer import luhn_check_digit

    birth = dt.date(1975, 1, 1) + dt.timedelta(days=index // 800)
    serial = f"{100 + index % 800:03d}"
    nine = f"{birth:%y%m%d}{serial}"
    return f"{birth:%Y%m%d}{serial}{luhn_check_digit(nine)}"


def build_world(*, units: int = 4, tag: str = "bench") -> World:
    """A region with home units (each with a unit manager, told of confirmed seats, C16), a
    course admin and the LEKA A series. Regions and series are reference data without a
    service of their own; they are created and audited the way the demo does."""
    from stportal.accounts.models import Region, Role, User
    from stportal.accounts.services import create_home_unit, grant_role
    from stportal.core import audit
    from stportal.courses.models import CourseSeries
    from stportal.curricula.models import CurriculumVersion, Specialty

    region = Region.objects.create(name=f"Region {tag}", code=tag)
    audit.record(actor=None, action="region.created", obj=region, after=audit.snapshot(region))
    admin = User.objects.create_user(
        username=f"{tag}-kursadmin", email="kursadmin@bench.invalid", first_name="Kurs"
    )
    grant_role(actor=None, user=admin, role=Role.COURSE_ADMIN, region=region)
    home_units = []
    for n in range(1, units + 1):
        unit = create_home_unit(
            actor=admin, region=region, name=f"Hälsocentral {n}", cost_centre=f"KS{4000 + n}"
        )
        manager = User.objects.create_user(
            username=f"{tag}-chef{n}", email=f"chef{n}@bench.invalid", first_name="Chef"
        )
        grant_role(actor=admin, user=manager, role=Role.UNIT_MANAGER, region=region, home_unit=unit)
        home_units.append(unit)
    series = CourseSeries.objects.create(
        region=region,
        name="LEKA A",
        default_iso_week=12,
        invitation_month=9,
        deadline_day=15,
        deadline_month=10,
        main_goals="a-delmål (2015)",
        default_place="Umeå",
        default_capacity=60,
        default_fee=3000,
        host_site="NUS",
    )
    audit.record(
        actor=None, action="course_series.created", obj=series, after=audit.snapshot(series)
    )
    return World(
        region=region,
        series=series,
        admin=admin,
        units=home_units,
        specialty=Specialty.objects.get(code="allmanmedicin"),
        version=CurriculumVersion.objects.get(code="2015"),
    )


def make_trainees(world: World, count: int, *, week_start: dt.date) -> list[Any]:
    """`count` trainees through `create_trainee`, planned completions spread over five years
    from `week_start` (so priority has work to do)."""
    from stportal.accounts.services import create_trainee

    made = []
    for _ in range(count):
        world.trainees_made += 1
        n = world.trainees_made
        made.append(
            create_trainee(
                actor=world.admin,
                first_name="Sara",
                last_name=f"Bench {n}",
                email=f"st{n}@bench.invalid",
                personal_id=personal_id(n),
                specialty=world.specialty,
                curriculum_version=world.version,
                planned_completion=week_start + dt.timedelta(days=(n * 7919) % (5 * 365)),
                st_start=week_start - dt.timedelta(days=365 + (n * 104_729) % (4 * 365)),
                home_unit=world.units[n % len(world.units)],
                username=f"st{n}",
            )
        )
    return made


def make_week(
    world: World,
    *,
    title: str,
    invitation: dt.date,
    deadline: dt.date,
    start: dt.date,
    capacity: int,
    courses: int,
    publish_at: dt.datetime,
) -> Any:
    """A published week of `courses` courses (one per day), following the week's capacity.
    The week starts on the Monday of `start`'s week, so that its course days are weekdays
    whatever day the bench runs."""
    from stportal.courses import services as course_services

    start -= dt.timedelta(days=start.weekday())

    week = course_services.create_course_week(
        actor=world.admin,
        series=world.series,
        title=title,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Umeå",
        capacity=capacity,
        invitation_date=invitation,
        registration_deadline=deadline,
        late_cancellation_fee=3000,
    )
    titles = [
        "Etik, mångfald och jämlikhet",
        "Ledarskap och pedagogik",
        "Medicinsk vetenskap",
        "Lagar och hälso- och sjukvårdens organisation",
        "Kommunikation med patienter och närstående",
    ]
    for index in range(courses):
        course_services.add_course(
            actor=world.admin,
            week=week,
            title=titles[index % len(titles)] + (f" {index + 1}" if index >= len(titles) else ""),
            days=[start + dt.timedelta(days=index % 5)],
        )
    return course_services.publish_course_week(actor=world.admin, week=week, now=publish_at)


def issue_tokens(trainees: Sequence[Any]) -> list[str]:
    from stportal.accounts.tokens import issue_api_token

    return [issue_api_token(actor=None, user=t.user) for t in trainees]


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


def stockholm(day: dt.date, hour: int = 12) -> dt.datetime:
    """`hour` o'clock on `day` in Swedish time: the instants the setup hands the services."""
    from stportal.core.dates import STOCKHOLM

    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)
