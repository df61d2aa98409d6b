"""Backup and restore (SPEC 7, the deployment guide): a `pg_dump` of the database, restored
with `pg_restore` into a fresh database, holds the data. PostgreSQL only, with its client
programs on the PATH (Debian's postgresql-client)."""

from __future__ import annotations

import os
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from stportal.testing import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_with_its_tools():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL; SQLite is backed up by copying its file")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed (Debian's postgresql-client)")


@pytest.fixture(autouse=True)
def curricula_seed(postgres_with_its_tools):
    """A transactional test flushes the tables afterwards, seed data included: reload it."""
    from stportal.curricula.seed import load_seed

    load_seed()


def _run(program: str, *args: str, database: str) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    subprocess.run(
        [
            program,
            "--host",
            str(db.get("HOST") or "127.0.0.1"),
            "--port",
            str(db.get("PORT") or 5432),
            "--username",
            str(db.get("USER")),
            "--dbname",
            database,
            *args,
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_a_dump_restored_into_a_fresh_database_holds_the_data(tmp_path):
    trainee = factories.TraineeFactory(user__username="backup-anna", user__first_name="Anna")
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "stportal.dump"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        _run("pg_dump", "--format=custom", "--file", str(dump), database=source)
        _run("pg_restore", "--no-owner", "--exit-on-error", str(dump), database=restored)
        db = connection.settings_dict
        with psycopg.connect(
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            user=db.get("USER"),
            password=db.get("PASSWORD") or None,
            dbname=restored,
        ) as copy:
            found = copy.execute(
                "SELECT u.username, u.first_name, t.personal_id FROM accounts_traineeprofile t"
                " JOIN accounts_user u ON u.id = t.user_id WHERE t.id = %s",
                [trainee.pk],
            ).fetchone()
            migrations = copy.execute("SELECT count(*) FROM django_migrations").fetchone()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    trainee.refresh_from_db()
    assert found == ("backup-anna", "Anna", trainee.personal_id)
    assert migrations[0] > 0
