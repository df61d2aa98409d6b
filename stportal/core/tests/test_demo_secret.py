"""Issue 9: after `make demo`, the README's other commands (`stportal apitoken`, `allocate`,
`plan-year`) work on the demo database as written, with nothing set by hand.

`stportal demo` writes a generated secret to `demo.env` in the data folder; the console script
reads it for the embedded database only, and the environment always wins.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from stportal import cli
from stportal.env import DEMO_ENV_FILENAME, load_demo_env, read_env_file, write_demo_env


def test_demo_env_file_holds_a_new_secret_readable_by_its_owner_only(tmp_path):
    path = tmp_path / DEMO_ENV_FILENAME
    assert write_demo_env(path) is True
    values = read_env_file(path)
    assert set(values) == {"SECRET_KEY"}  # never DEBUG: a stray file cannot switch it on
    assert len(values["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_text()
    assert write_demo_env(path) is False  # kept: sessions and tokens outlive a second run
    assert path.read_text() == first
    other = tmp_path / "other" / DEMO_ENV_FILENAME
    write_demo_env(other)
    assert read_env_file(other)["SECRET_KEY"] != values["SECRET_KEY"]


def test_demo_secret_is_read_for_the_embedded_database_only(tmp_path):
    write_demo_env(tmp_path / DEMO_ENV_FILENAME)
    secret = read_env_file(tmp_path / DEMO_ENV_FILENAME)["SECRET_KEY"]

    environ = {"STPORTAL_DATA_DIR": str(tmp_path)}
    assert load_demo_env(environ) is True
    assert environ["SECRET_KEY"] == secret

    deployed = {"STPORTAL_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://db/st"}
    assert load_demo_env(deployed) is False
    assert "SECRET_KEY" not in deployed

    own = {"STPORTAL_DATA_DIR": str(tmp_path), "SECRET_KEY": "the-regions-own"}
    load_demo_env(own)
    assert own["SECRET_KEY"] == "the-regions-own"  # the environment wins

    empty = {"STPORTAL_DATA_DIR": str(tmp_path / "elsewhere")}
    assert load_demo_env(empty) is False
    assert "SECRET_KEY" not in empty


def test_the_demo_command_writes_the_secret_and_other_commands_read_it(tmp_path, monkeypatch):
    """The console script: `demo` writes the file; any later command finds the secret."""
    seen: list[tuple[list[str], str | None]] = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda args: seen.append((args, os.environ.get("SECRET_KEY"))),
    )
    monkeypatch.setenv("STPORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    cli.main(["stportal", "demo", "--no-serve"])
    secret = read_env_file(tmp_path / DEMO_ENV_FILENAME)["SECRET_KEY"]
    monkeypatch.delenv("SECRET_KEY", raising=False)
    cli.main(["stportal", "plan-year", "2030", "--dry-run"])
    assert seen[0] == (["stportal", "demo", "--no-serve"], secret)
    assert seen[1] == (["stportal", "plan_year", "2030", "--dry-run"], secret)


def test_no_demo_secret_is_written_for_a_configured_database(tmp_path, monkeypatch):
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda args: None)
    monkeypatch.setenv("STPORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://stportal@127.0.0.1/st")
    cli.main(["stportal", "demo", "--no-serve"])
    assert not (tmp_path / DEMO_ENV_FILENAME).exists()


def _stportal(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environ["STPORTAL_DATA_DIR"] = str(data_dir)
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [sys.executable, "-c", "from stportal.cli import main; main()", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the demo's embedded database")
def test_readme_commands_work_on_the_demo_database_without_settings(tmp_path):
    """Issue 9: `stportal demo`, then `apitoken`, `allocate --dry-run` and `plan-year
    --dry-run` as the README writes them, with no SECRET_KEY or DEBUG in the environment."""
    before = _stportal(["apitoken", "stlakare"], tmp_path)
    assert before.returncode != 0 and "SECRET_KEY is not set" in before.stderr

    demo = _stportal(["demo", "--no-serve"], tmp_path)
    assert demo.returncode == 0, demo.stderr
    token = _stportal(["apitoken", "stlakare"], tmp_path)
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip().splitlines()[-1].startswith("stp_")

    with sqlite3.connect(tmp_path / "stportal.sqlite3") as db:
        (week_id,) = db.execute(
            "SELECT id FROM courses_courseweek WHERE stored_state = 'allocated' "
            "ORDER BY start_date DESC LIMIT 1"
        ).fetchone()
    allocate = _stportal(["allocate", str(week_id), "--dry-run"], tmp_path)
    assert allocate.returncode == 0, allocate.stderr
    plan = _stportal(["plan-year", "2031", "--dry-run"], tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert "LEKA A 2031" in plan.stdout
