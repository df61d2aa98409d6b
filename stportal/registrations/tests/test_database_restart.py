"""SPEC 7 (reliability), C6, C13: the database restarted in the middle of a registration
rush. A real `stportal serve` with two worker processes and persistent connections, 40
clients registering through the API, and the database cut off under them while requests are
in flight.

Afterwards: every trainee holds exactly one registration with all its lines (none lost, none
made twice, none half-made); a client cut off got a clear 503 (or no answer) and its retry
was answered 201, or 409 naming the registration its first attempt had made; the server came
back by itself (no restart of its own) and a new registration goes through.

The cut: with `STPORTAL_TEST_RESTART_POSTGRES=1` (CI sets it; never on a database server
others use) PostgreSQL itself is restarted with `pg_ctlcluster`; otherwise every connection
to the test database but the test's own is terminated, which is what a restart does to the
product's processes.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from stportal.accounts.tokens import issue_api_token
from stportal.core.dates import STOCKHOLM
from stportal.courses import services as course_services
from stportal.curricula.models import Goal
from stportal.notifications.tests.test_mail_server_down import free_port
from stportal.registrations.models import Registration, RegistrationLine
from stportal.testing import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 40
CUT_AFTER = 10  # registrations answered before the database goes
RESTART = os.environ.get("STPORTAL_TEST_RESTART_POSTGRES") == "1"


@pytest.fixture(autouse=True)
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("a server process beside the test needs PostgreSQL (DATABASE_URL)")


@pytest.fixture(autouse=True)
def curricula_seed(on_postgres):
    """A transactional test flushes the tables afterwards, seed data included: reload it."""
    from stportal.curricula.seed import load_seed

    load_seed()


def open_week(series, admin):
    """A week open for registration around today's real date (the server runs on it)."""
    today = timezone.now().astimezone(STOCKHOLM).date()
    later = today + dt.timedelta(days=60)
    start = later + dt.timedelta(days=(7 - later.weekday()) % 7)  # a Monday
    week = course_services.create_course_week(
        actor=admin,
        series=series,
        title="LEKA A (omstart)",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        place="Umeå",
        capacity=60,
        invitation_date=today - dt.timedelta(days=5),
        registration_deadline=today + dt.timedelta(days=20),
        late_cancellation_fee=3000,
    )
    for offset, title in enumerate(["Etik", "Ledarskap"]):
        course_services.add_course(
            actor=admin,
            week=week,
            title=title,
            days=[start + dt.timedelta(days=offset)],
            goals=Goal.objects.filter(code__in=["a2"]),
        )
    return course_services.publish_course_week(actor=admin, week=week)


class Server:
    def __init__(self, data: Path) -> None:
        db = connection.settings_dict
        self.port = free_port()
        self.log = data / "server.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
                f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
            ),
            "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret"),
            "DEBUG": "false",
            "CONN_MAX_AGE": "60",
            "STPORTAL_DATA_DIR": str(data),
            "STATIC_ROOT": str(data / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "STPORTAL_SEND_MAIL_INLINE": "false",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "stportal.cli", "serve", "--port", str(self.port)]
                + ["--workers", "2"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            if self.call("GET", "/healthz")[0] == 200:
                return self
            time.sleep(0.25)
        raise AssertionError(f"the server did not start:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def call(self, method: str, path: str, token: str | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body="{}" if method == "POST" else None, headers=headers)
            response = conn.getresponse()
            body = response.read()
            try:
                return response.status, json.loads(body or b"{}")
            except ValueError:
                return response.status, {"raw": body[:200].decode(errors="replace")}
        except (OSError, http.client.HTTPException):
            return 0, {}  # no answer: the client may try again
        finally:
            conn.close()


def cut_the_database() -> str:
    """Restart PostgreSQL (CI) or terminate every other connection to the test database;
    returns what was done."""
    if RESTART:
        version = max(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        connections.close_all()  # the test's own connection went with the server
        return "restarted"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (terminated,) = cursor.fetchone()
    assert terminated >= 1, "the server's connections were there to cut"
    return "terminated"


def test_a_database_restart_mid_rush_loses_nothing_and_the_server_recovers(
    tmp_path, series, course_admin, home_unit
):
    if RESTART and not shutil.which("pg_ctlcluster"):
        pytest.fail("STPORTAL_TEST_RESTART_POSTGRES=1 needs pg_ctlcluster (Debian's PostgreSQL)")
    week = open_week(series, course_admin)
    trainees = [
        factories.TraineeFactory(home_unit=home_unit, user__username=f"omstart{n}")
        for n in range(CLIENTS + 1)
    ]
    tokens = [issue_api_token(actor=None, user=t.user) for t in trainees]
    path = f"/api/v1/course-weeks/{week.pk}/registrations"
    answered = threading.Semaphore(0)
    cut_done = threading.Event()
    outcomes: dict[int, list[tuple[int, dict]]] = {}

    with Server(tmp_path) as server:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_postmaster_start_time()")
            (started_before,) = cursor.fetchone()

        def register(index: int) -> None:
            tries = outcomes.setdefault(index, [])
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                status, body = server.call("POST", path, tokens[index])
                tries.append((status, body))
                if status in (201, 409):
                    answered.release()
                    return
                time.sleep(0.2)  # 503 or no answer: try again, as the answer says

        def cut() -> str:
            for _ in range(CUT_AFTER):
                answered.acquire(timeout=60)
            try:
                return cut_the_database()
            finally:
                cut_done.set()

        with ThreadPoolExecutor(max_workers=CLIENTS + 1) as pool:
            what = pool.submit(cut)
            list(pool.map(register, range(CLIENTS)))
            how = what.result(timeout=180)
        assert cut_done.is_set()

        # The server came back by itself: a new registration after the cut goes through.
        status, body = server.call("POST", path, tokens[CLIENTS])
        assert status == 201, body

    connections.close_all()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        (started_after,) = cursor.fetchone()
    if how == "restarted":
        assert started_after > started_before

    # Every client ended with its registration made: 201, or 409 naming the one made.
    finals = {index: tries[-1] for index, tries in outcomes.items()}
    assert sorted(finals) == list(range(CLIENTS))
    assert {status for status, _ in finals.values()} <= {201, 409}
    for status, body in finals.values():
        if status == 409:
            assert body["code"] == "registration_exists" and body["existing_registration_id"]
    # Whatever failed on the way was a clear 503 or no answer at all, never a 500.
    statuses = {status for tries in outcomes.values() for status, _ in tries}
    assert statuses <= {0, 201, 409, 503}, statuses
    assert all(
        body.get("code") in ("unavailable", "busy")
        for tries in outcomes.values()
        for status, body in tries
        if status == 503
    )
    # The database: one registration per trainee, each with both its lines.
    made = Registration.objects.filter(course_week=week)
    assert made.count() == CLIENTS + 1
    assert sorted(made.values_list("trainee_id", flat=True)) == sorted(t.pk for t in trainees)
    lines = RegistrationLine.objects.filter(registration__course_week=week)
    assert lines.count() == 2 * (CLIENTS + 1)
    per_registration = {r.pk: r.lines.count() for r in made}
    assert set(per_registration.values()) == {2}
