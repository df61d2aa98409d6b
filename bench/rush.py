"""The registration rush on PostgreSQL behind several server processes (SPEC 7, C10, C13).

Run: `python -m bench.rush [--clients 200] [--workers 4] [--requests 400] [--rounds 3]`.

1. Creates a fresh database `stportal_bench` (dropped first if left over), migrates it with
   `stportal migrate`, and sets up through the product's services a region, a series, and a
   published week with one course of capacity 60 whose deadline has passed: 55 trainees
   registered on time and allocation has run, so 5 seats are free. Then 200 more trainees,
   each with a personal API token.
2. Starts `stportal serve --workers 4` (gunicorn, persistent connections) with
   `DJANGO_SETTINGS_MODULE=bench.settings`: the product plus one trivial one-row view.
3. Fires 200 concurrent `POST /api/v1/course-weeks/{id}/registrations`, one per trainee, from
   200 threads released together by a barrier. Late lines are placed at once (C10): a free
   seat, else the end of the waiting list. The database must then hold exactly 5 new seats,
   195 waiting lines at positions 1..195, no 5xx, nothing lost or duplicated.
4. Fires 50 concurrent registrations for one trainee: one 201, 49 × 409 `registration_exists`.
5. Throughput: N registrations by 200 concurrent clients on a fresh open week, against N
   requests to the one-row view at the same concurrency on the same server. SPEC 7's bar:
   registration at least half the trivial view's requests per second.
6. Stops the server and drops the database, also on failure.

Figures are printed; nothing here is a timed assertion. The exit status is 1 only when a
correctness check fails (overbooking, a lost or duplicated registration, a 5xx).

The setup helpers below (database, settings, people, weeks) are shared with
`bench.allocation_db`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
DATABASE = "stportal_bench"
HTTP_TIMEOUT = 120.0  # seconds per request; the whole rush takes a few seconds
SERVER_START_TIMEOUT = 180.0
THROUGHPUT_BAR = 0.5


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
    """A published week of `courses` courses (one per day), following the week's capacity."""
    from stportal.courses import services as course_services

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


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`stportal serve` in its own process group, logging to a file; stopped by its id."""

    def __init__(self, *, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        started = time.perf_counter()
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                *stportal_command(),
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start:\n{self.log_tail()}")
            status, _body, _seconds = http_request(self.port, "GET", "/healthz", timeout=5)
            if status == 200:
                return time.perf_counter() - started
            time.sleep(0.25)
        raise RuntimeError(f"the server did not answer /healthz:\n{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # gunicorn's arbiter stops its workers
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group this bench started
            process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def tracebacks(self) -> int:
        try:
            return self.log_path.read_text(errors="replace").count("Traceback (most recent")
        except OSError:
            return 0


# --- the clients --------------------------------------------------------------------------


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = HTTP_TIMEOUT,
) -> tuple[int, bytes, float]:
    """One request on a fresh connection: (status, body, seconds). Status 0: no answer."""
    headers = {"Connection": "close", "Accept": "application/json"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started
    except (OSError, http.client.HTTPException) as exc:
        return 0, repr(exc).encode(), time.perf_counter() - started
    finally:
        conn.close()


@dataclass(frozen=True)
class Job:
    method: str
    path: str
    body: dict[str, Any] | None = None
    token: str | None = None


@dataclass
class Outcome:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class Burst:
    name: str
    clients: int
    outcomes: list[Outcome]
    wall: float
    statuses: Counter[int] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.statuses = Counter(o.status for o in self.outcomes)

    @property
    def per_second(self) -> float:
        return len(self.outcomes) / self.wall if self.wall else 0.0

    def latency_ms(self, q: float) -> float:
        ordered = sorted(o.seconds for o in self.outcomes)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)


def fire(name: str, port: int, jobs: Sequence[Job], *, clients: int) -> Burst:
    """Run `jobs` from `clients` threads released together by a barrier; each thread takes
    the next job until none is left. Wall time runs from the release to the last answer."""
    results: list[Outcome | None] = [None] * len(jobs)
    next_job = iter(range(len(jobs)))
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        while True:
            with lock:
                index = next(next_job, None)
            if index is None:
                return
            job = jobs[index]
            status, body, seconds = http_request(
                port, job.method, job.path, body=job.body, token=job.token
            )
            results[index] = Outcome(status, body, seconds)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=HTTP_TIMEOUT * (len(jobs) // clients + 2))
    wall = time.perf_counter() - started
    outcomes = [r if r is not None else Outcome(0, b"no answer", 0.0) for r in results]
    return Burst(name=name, clients=clients, outcomes=outcomes, wall=wall)


# --- the run ------------------------------------------------------------------------------


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    bursts: list[Burst] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    rounds: list[tuple[float, float]] = field(default_factory=list)  # (trivial, registration)
    anatomy: list[Any] = field(default_factory=list)
    setup: dict[str, float] = field(default_factory=dict)

    def check(self, what: str, ok: bool, detail: str = "") -> None:
        self.checks.append(Check(what, ok, detail))


def _registration_path(week_id: int) -> str:
    return f"/api/v1/course-weeks/{week_id}/registrations"


def _stockholm(day: dt.date, hour: int = 12) -> dt.datetime:
    from stportal.core.dates import STOCKHOLM

    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


def setup_rush_week(world: World, *, capacity: int, seated: int, today: dt.date) -> Any:
    """A week whose deadline has passed and whose allocation has run (C10: late lines are
    placed at once): `seated` trainees registered on time hold seats out of `capacity`."""
    from django.utils import timezone

    from stportal.registrations import services

    invitation = today - dt.timedelta(days=40)
    deadline = today - dt.timedelta(days=2)
    start = today + dt.timedelta(days=30)
    week = make_week(
        world,
        title="LEKA A (rusning)",
        invitation=invitation,
        deadline=deadline,
        start=start,
        capacity=capacity,
        courses=1,
        publish_at=_stockholm(invitation - dt.timedelta(days=5)),
    )
    on_time = make_trainees(world, seated, week_start=start)
    for n, trainee in enumerate(on_time):
        # On time: spread over the last day before the deadline instant (end of that day).
        services.register_for_course_week(
            actor=trainee.user,
            week=week,
            trainee=trainee,
            now=_stockholm(deadline, 8) + dt.timedelta(minutes=n),
        )
    services.run_allocation(actor=world.admin, week=week, dry_run=False, now=timezone.now())
    return week


def verify_rush(report: Report, burst: Burst, *, week: Any, trainees: Sequence[Any]) -> None:
    from stportal.registrations.models import (
        SEAT_TAKING,
        LineStatus,
        Registration,
        RegistrationLine,
    )
    from stportal.registrations.selectors import lines_with_positions

    course = week.courses.get()
    free_before = report.setup["free_seats"]
    bodies = [o.json() or {} for o in burst.outcomes]
    answered_lines = [b["lines"][0] for b in bodies if b.get("lines")]
    confirmed_answers = sum(1 for ln in answered_lines if ln["status"] == "confirmed")
    waiting_positions = sorted(
        ln["waitlist_position"] for ln in answered_lines if ln["status"] == "waitlisted"
    )
    others = [(o.status, (o.json() or {}).get("code")) for o in burst.outcomes if o.status != 201]
    expected_wait = len(trainees) - int(free_before)
    report.check(
        f"every answer is 201 with a seat or a waiting-list place ({len(trainees)})",
        burst.statuses[201] == len(trainees),
        f"statuses {dict(burst.statuses)}; others {Counter(others).most_common(5)}",
    )
    report.check("no 5xx and no unanswered request", burst.server_errors == 0)
    report.check(
        f"answers: {int(free_before)} confirmed, {expected_wait} waiting at 1..{expected_wait}",
        confirmed_answers == free_before and waiting_positions == list(range(1, expected_wait + 1)),
        f"{confirmed_answers} confirmed, {len(waiting_positions)} waiting",
    )
    taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
    new_confirmed = RegistrationLine.objects.filter(
        course=course, status=LineStatus.CONFIRMED, registration__trainee__in=trainees
    ).count()
    report.check(
        f"database: exactly {int(free_before)} new seats, {taken}/{course.capacity} taken",
        new_confirmed == free_before and taken == course.capacity,
        f"{new_confirmed} new confirmed",
    )
    waiting = list(
        lines_with_positions().filter(course=course, status=LineStatus.WAITLISTED).order_by()
    )
    positions = sorted(ln.ahead + 1 for ln in waiting)
    orders = [ln.queue_order for ln in waiting]
    report.check(
        f"database: {expected_wait} waiting, positions 1..{expected_wait} unique",
        positions == list(range(1, expected_wait + 1)) and len(set(orders)) == len(orders),
        f"{len(waiting)} waiting",
    )
    per_trainee = Counter(
        Registration.objects.filter(course_week=week, trainee__in=trainees).values_list(
            "trainee_id", flat=True
        )
    )
    lines = RegistrationLine.objects.filter(registration__course_week=week).count()
    registrations = Registration.objects.filter(course_week=week).count()
    answered_ids = sorted(b["id"] for b in bodies if "id" in b)
    stored_ids = sorted(
        Registration.objects.filter(course_week=week, trainee__in=trainees).values_list(
            "pk", flat=True
        )
    )
    report.check(
        "database: no registration lost or duplicated",
        len(per_trainee) == len(trainees)
        and set(per_trainee.values()) == {1}
        and lines == registrations
        and answered_ids == stored_ids,
        f"{registrations} registrations, {lines} lines",
    )


def verify_duplicates(report: Report, burst: Burst, *, week: Any, trainee: Any) -> None:
    from stportal.registrations.models import Registration, RegistrationLine

    codes = Counter((o.status, (o.json() or {}).get("code")) for o in burst.outcomes)
    created = [o.json() for o in burst.outcomes if o.status == 201]
    existing = {
        (o.json() or {}).get("existing_registration_id") for o in burst.outcomes if o.status == 409
    }
    n = len(burst.outcomes)
    report.check(
        f"duplicates: exactly one 201, {n - 1} × 409 registration_exists",
        codes[(201, None)] == 1 and codes[(409, "registration_exists")] == n - 1,
        f"{dict(codes)}",
    )
    stored = Registration.objects.filter(course_week=week, trainee=trainee)
    report.check(
        "duplicates: one registration and one line stored, named by every 409",
        stored.count() == 1
        and RegistrationLine.objects.filter(registration__in=stored).count() == 1
        and existing == {created[0]["id"] if created else None},
        f"existing_registration_id values {sorted(existing, key=str)}",
    )


def throughput_round(
    report: Report,
    server: Server,
    world: World,
    *,
    round_no: int,
    tokens: Sequence[str],
    trainees: Sequence[Any],
    clients: int,
    today: dt.date,
) -> None:
    """One round: N one-row writes and N registrations on a fresh open week (the order
    alternates between rounds, so neither always runs on a warmer server)."""
    from stportal.registrations.models import LineStatus, Registration, RegistrationLine

    week = make_week(
        world,
        title=f"LEKA B (genomströmning {round_no})",
        invitation=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=20),
        start=today + dt.timedelta(days=60 + 7 * round_no),
        capacity=max(60, len(tokens)),
        courses=1,
        publish_at=_stockholm(today - dt.timedelta(days=11)),
    )
    close_connections()
    body = {"needs_lodging": False}
    trivial_jobs = [Job("POST", "/bench/one-row", body) for _ in tokens]
    register_jobs = [Job("POST", _registration_path(week.pk), body, t) for t in tokens]
    plan = [("one-row view", trivial_jobs), ("registration", register_jobs)]
    if round_no % 2 == 0:
        plan.reverse()
    rates = {}
    for label, jobs in plan:
        burst = fire(f"throughput {round_no}: {label}", server.port, jobs, clients=clients)
        report.bursts.append(burst)
        rates[label] = burst.per_second
        if label == "registration":
            stored = Registration.objects.filter(course_week=week).count()
            pending = RegistrationLine.objects.filter(
                registration__course_week=week, status=LineStatus.PENDING
            ).count()
            report.check(
                f"throughput round {round_no}: {len(jobs)} × 201, {len(jobs)} stored, no 5xx",
                burst.statuses[201] == len(jobs) and stored == pending == len(trainees),
                f"statuses {dict(burst.statuses)}, {stored} stored",
            )
        else:
            report.check(
                f"throughput round {round_no}: {len(jobs)} one-row writes × 201",
                burst.statuses[201] == len(jobs),
                f"statuses {dict(burst.statuses)}",
            )
        close_connections()
    report.rounds.append((rates["one-row view"], rates["registration"]))


@dataclass
class Anatomy:
    what: str
    median_ms: float
    statements: float
    locked_ms: float | None = None
    locked_statements: float | None = None


def anatomy(
    report: Report, *, open_week: Any, late_week: Any, tokens: Sequence[str], samples: int
) -> list[Anatomy]:
    """Where a request's time goes, one request at a time in this process (Django's test
    client: the same middleware and views, no server, no concurrency): wall time, SQL
    statements, and how long the week's row lock is held (from `lock_week` to the commit),
    which is what serialises concurrent registrations for one week."""
    from django.db import connection, transaction
    from django.test import Client

    # Registering takes the week's lock through the name its own module imported.
    from stportal.registrations.services import registering

    state: dict[str, Any] = {"locked_at": None, "locked": 0.0, "in_lock": 0, "all": 0}
    lock_week = registering.lock_week

    def timed_lock(week_id: int) -> Any:
        state["locked_at"] = time.perf_counter()

        def released() -> None:
            state["locked"] += time.perf_counter() - state["locked_at"]
            state["locked_at"] = None

        transaction.on_commit(released)  # the first callback: runs right after COMMIT
        return lock_week(week_id)

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        state["all"] += 1
        if state["locked_at"] is not None:
            state["in_lock"] += 1
        return execute(sql, params, many, context)

    client = Client()
    body = {"needs_lodging": False}

    def measure(what: str, path: str, tokens: Sequence[str | None], locks: bool) -> Anatomy:
        times, statements, locked, in_lock = [], [], [], []
        for token in tokens:
            state.update(locked=0.0, in_lock=0, all=0)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
            started = time.perf_counter()
            response = client.post(path, body, content_type="application/json", **headers)
            times.append(time.perf_counter() - started)
            if response.status_code != 201:
                report.check(f"anatomy: {what} answers 201", False, str(response.status_code))
                break
            statements.append(state["all"])
            locked.append(state["locked"])
            in_lock.append(state["in_lock"])
        return Anatomy(
            what,
            statistics.median(times) * 1000,
            statistics.median(statements),
            statistics.median(locked) * 1000 if locks else None,
            statistics.median(in_lock) if locks else None,
        )

    registering.lock_week = timed_lock
    try:
        with connection.execute_wrapper(count):
            found = [
                measure("one-row view", "/bench/one-row", [None] * samples, False),
                measure(
                    "registration, open week",
                    _registration_path(open_week.pk),
                    tokens[:samples],
                    True,
                ),
                measure(
                    "registration, late (waiting list)",
                    _registration_path(late_week.pk),
                    tokens[samples : 2 * samples],
                    True,
                ),
            ]
    finally:
        registering.lock_week = lock_week
    return found


def warm_up(port: int, token: str, week_id: int, clients: int) -> None:
    """Load every worker's code paths once (URL resolution, the API, templates) before any
    timed burst, so the first burst does not pay for imports the others skip."""
    jobs = [Job("GET", "/healthz")] * clients
    jobs += [Job("GET", f"/api/v1/course-weeks/{week_id}", None, token)] * clients
    jobs += [Job("GET", "/api/v1/me/registrations", None, token)] * clients
    fire("warm-up", port, jobs, clients=min(clients, 16))


def print_report(report: Report, args: argparse.Namespace) -> None:
    print()
    print(
        f"{'burst':<34} {'requests':>8} {'2xx':>5} {'409':>5} {'other':>5} {'5xx':>4}"
        f" {'wall s':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    )
    for b in report.bursts:
        ok = sum(n for s, n in b.statuses.items() if 200 <= s < 300)
        other = len(b.outcomes) - ok - b.statuses[409] - b.server_errors
        print(
            f"{b.name:<34} {len(b.outcomes):>8} {ok:>5} {b.statuses[409]:>5} {other:>5}"
            f" {b.server_errors:>4} {b.wall:>7.2f} {b.per_second:>7.0f}"
            f" {b.latency_ms(0.5):>7.0f} {b.latency_ms(0.95):>7.0f} {b.latency_ms(1.0):>7.0f}"
        )
    print()
    for c in report.checks:
        detail = f"  ({c.detail})" if c.detail else ""
        print(f"  [{'ok' if c.ok else 'FAILED'}] {c.what}{detail}")
    if report.rounds:
        print()
        print(
            f"throughput: {args.requests} requests from {args.clients} concurrent clients,"
            f" {args.workers} server processes"
        )
        print(f"  {'round':<8} {'one-row view req/s':>20} {'registration req/s':>20} {'ratio':>7}")
        for n, (trivial, register) in enumerate(report.rounds, start=1):
            print(f"  {n:<8} {trivial:>20.0f} {register:>20.0f} {register / trivial:>7.2f}")
        trivial, register, ratio = throughput_summary(report)
        print(f"  {'median':<8} {trivial:>20.0f} {register:>20.0f} {ratio:>7.2f}")
        verdict = "OK" if ratio >= THROUGHPUT_BAR else "BELOW THE BAR"
        print(
            f"registration / one-row view = {ratio:.2f} (bar: at least {THROUGHPUT_BAR}): {verdict}"
        )


def print_anatomy(report: Report) -> None:
    if not report.anatomy:
        return
    print()
    print("anatomy: one request at a time in one process (medians)")
    print(f"  {'request':<36} {'ms':>6} {'SQL':>5} {'week lock held ms':>18} {'SQL in lock':>12}")
    for a in report.anatomy:
        locked = f"{a.locked_ms:>18.1f}" if a.locked_ms is not None else f"{'-':>18}"
        in_lock = f"{a.locked_statements:>12.0f}" if a.locked_statements is not None else ""
        print(f"  {a.what:<36} {a.median_ms:>6.1f} {a.statements:>5.0f} {locked} {in_lock}")


def throughput_summary(report: Report) -> tuple[float, float, float]:
    trivial = statistics.median(r[0] for r in report.rounds)
    register = statistics.median(r[1] for r in report.rounds)
    return trivial, register, register / trivial if trivial else 0.0


def run(args: argparse.Namespace) -> Report:
    report = Report()
    tmp = Path(tempfile.mkdtemp(prefix="stportal-bench-rush-"))
    env = bench_env(
        database_url=pg_url(DATABASE), data_dir=tmp, CONN_MAX_AGE=str(args.conn_max_age)
    )
    server = Server(env=env, workers=args.workers, log_path=tmp / "server.log")
    django_ready = False
    create_database(DATABASE)
    try:
        report.setup["migrate"] = migrate(env)
        setup_django(env)
        django_ready = True
        from django.utils import timezone

        from stportal.core.dates import STOCKHOLM

        today = timezone.now().astimezone(STOCKHOLM).date()
        started = time.perf_counter()
        world = build_world()
        week = setup_rush_week(
            world, capacity=args.capacity, seated=args.capacity - args.seats_left, today=today
        )
        course = week.courses.get()
        from stportal.registrations.models import SEAT_TAKING, RegistrationLine

        taken = RegistrationLine.objects.filter(course=course, status__in=SEAT_TAKING).count()
        report.setup["free_seats"] = course.capacity - taken
        rushers = make_trainees(world, args.clients, week_start=week.start_date)
        rush_tokens = issue_tokens(rushers)
        duplicate = make_trainees(world, 1, week_start=week.start_date)[0]
        duplicate_token = issue_tokens([duplicate])[0]
        movers = make_trainees(world, args.requests, week_start=week.start_date)
        mover_tokens = issue_tokens(movers)
        report.setup["services"] = time.perf_counter() - started
        close_connections()
        print(
            f"set up through the services in {report.setup['services']:.1f} s"
            f" (migrate {report.setup['migrate']:.1f} s): {world.trainees_made} trainees;"
            f" rush week {week.pk}: {taken}/{course.capacity} seats taken after allocation",
            flush=True,
        )

        report.setup["server_start"] = server.start()
        print(
            f"server: stportal serve --workers {args.workers} on 127.0.0.1:{server.port},"
            f" up in {report.setup['server_start']:.1f} s",
            flush=True,
        )
        warm_up(server.port, mover_tokens[0], week.pk, args.clients)

        path = _registration_path(week.pk)
        rush = fire(
            f"rush: last {args.seats_left} seats",
            server.port,
            [Job("POST", path, {"needs_lodging": False}, t) for t in rush_tokens],
            clients=args.clients,
        )
        report.bursts.append(rush)
        verify_rush(report, rush, week=week, trainees=rushers)
        close_connections()

        dupes = fire(
            "duplicates: one trainee",
            server.port,
            [Job("POST", path, {"needs_lodging": False}, duplicate_token)] * args.duplicates,
            clients=args.duplicates,
        )
        report.bursts.append(dupes)
        verify_duplicates(report, dupes, week=week, trainee=duplicate)
        close_connections()

        for round_no in range(1, args.rounds + 1):
            throughput_round(
                report,
                server,
                world,
                round_no=round_no,
                tokens=mover_tokens,
                trainees=movers,
                clients=args.clients,
                today=today,
            )
        tracebacks = server.tracebacks()
        report.check("server log: no traceback", tracebacks == 0, f"{tracebacks} tracebacks")
        server.stop()
        if args.anatomy:
            open_week = make_week(
                world,
                title="LEKA B (anatomi)",
                invitation=today - dt.timedelta(days=10),
                deadline=today + dt.timedelta(days=20),
                start=today + dt.timedelta(days=120),
                capacity=args.capacity,
                courses=1,
                publish_at=_stockholm(today - dt.timedelta(days=11)),
            )
            report.anatomy = anatomy(
                report,
                open_week=open_week,
                late_week=week,
                tokens=mover_tokens,
                samples=min(args.anatomy, len(mover_tokens) // 2),
            )
    finally:
        server.stop()
        if django_ready:
            close_connections()
        try:
            drop_database(DATABASE)
        finally:
            if any(not c.ok for c in report.checks):
                print(f"server log (last lines):\n{server.log_tail()}")
            shutil.rmtree(tmp, ignore_errors=True)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="server processes")
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--seats-left", type=int, default=5)
    parser.add_argument("--duplicates", type=int, default=50)
    parser.add_argument("--requests", type=int, default=400, help="N for the throughput rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument(
        "--anatomy", type=int, default=20, help="serial in-process samples per request (0: none)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not postgres_answers():
        print(f"rush: skipped, no PostgreSQL answers on {PG_HOST}:{PG_PORT}")
        return 0
    print(
        f"registration rush: {args.clients} concurrent clients, {args.workers} server processes,"
        f" PostgreSQL on {PG_HOST}:{PG_PORT}; {os.cpu_count()} cores, load average"
        f" {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    report = run(args)
    print_report(report, args)
    print_anatomy(report)
    print(f"load average now {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps(summary(report, args)))
    return 0 if all(c.ok for c in report.checks) else 1


def summary(report: Report, args: argparse.Namespace) -> dict[str, Any]:
    trivial, register, ratio = throughput_summary(report) if report.rounds else (0, 0, 0)
    rush = report.bursts[0] if report.bursts else None
    return {
        "checks_ok": all(c.ok for c in report.checks),
        "failed_checks": [c.what for c in report.checks if not c.ok],
        "clients": args.clients,
        "workers": args.workers,
        "rush_wall": rush.wall if rush else None,
        "rush_p95_ms": rush.latency_ms(0.95) if rush else None,
        "rush_5xx": sum(b.server_errors for b in report.bursts),
        "trivial_rps": trivial,
        "registration_rps": register,
        "ratio": ratio,
        "anatomy": [a.__dict__ for a in report.anatomy],
    }


if __name__ == "__main__":
    raise SystemExit(main())
