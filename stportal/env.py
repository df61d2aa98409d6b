"""Typed readers for configuration from the environment.

Every deploy-time value is read here; a malformed value fails loudly at start-up
instead of surfacing later as odd behaviour.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, MutableMapping
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- the demo's own settings file ----------------------------------------------------------
#
# `stportal demo` runs on the embedded database in the data folder and needs a secret; so do
# the other commands run on that database afterwards (`stportal apitoken`, `allocate`,
# `plan-year`). The demo writes a generated secret to a file in the data folder, and the
# console script reads it, for the embedded database only and only when the file exists:
# a deployment (DATABASE_URL set, or no such file) never reads it, and the environment always
# wins over the file. The file holds the secret only, never DEBUG: development mode stays
# something the demo command itself switches on, so a stray file cannot turn it on elsewhere.

DEMO_ENV_FILENAME = "demo.env"
DEMO_ENV_KEYS = ("SECRET_KEY",)


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: `STPORTAL_DATA_DIR`, else `data` beside the package."""
    environ = os.environ if environ is None else environ
    default = Path(__file__).resolve().parent.parent / "data"
    return Path(environ.get("STPORTAL_DATA_DIR") or default)


def uses_embedded_database(environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return not environ.get("DATABASE_URL")


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines of `path` for the names the demo writes; other lines are ignored."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name.strip() in DEMO_ENV_KEYS:
            values[name.strip()] = value.strip()
    return values


def write_demo_env(path: Path) -> bool:
    """Write the demo's settings file with a new secret unless it exists; True when written.

    Readable by its owner only: it holds the secret that signs the demo's sessions.
    """
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# Written by `stportal demo` for the demo database in this folder. The `stportal`\n"
        "# command reads it when DATABASE_URL is not set; the environment wins over it.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


def load_demo_env(environ: MutableMapping[str, str] | None = None) -> bool:
    """Fill SECRET_KEY from the data folder's demo file, for the embedded database
    only and without overriding the environment; True when the file was read."""
    environ = os.environ if environ is None else environ
    if not uses_embedded_database(environ):
        return False
    path = data_dir(environ) / DEMO_ENV_FILENAME
    if not path.is_file():
        return False
    for name, value in read_env_file(path).items():
        if not environ.get(name):
            environ[name] = value
    return True
