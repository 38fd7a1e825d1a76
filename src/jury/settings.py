"""Settings of one `jury` process, read once from the environment and passed down explicitly.

Nothing in the package reads `os.environ` after this point, so tests build a `Settings` by hand and two
apps with different settings can live in one process.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import msgspec
import platformdirs

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_BUNDLED = Path(__file__).resolve().parent / "_resources"


def _resource_dir(name: str) -> Path:
    """`sql/` and `templates/` sit at the top of a checkout; a built wheel carries them in `_resources`."""
    bundled = _BUNDLED / name
    return bundled if bundled.is_dir() else PROJECT_ROOT / name


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    data_dir: Path = Path(platformdirs.user_data_dir("jury"))
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = ""
    log_format: str = "auto"
    log_level: str = "info"
    debug: bool = False
    pool_min_size: int = 1
    pool_max_size: int = 10
    max_upload_bytes: int = 5 * 1024 * 1024
    session_idle_minutes: int = 240
    sign_in_attempts_per_minute: int = 300
    """The ceiling per client address; a venue's tablets share one (see `jury.auth.limits`)."""
    sign_in_failures_per_credential: int = 5
    sign_in_failures_per_session: int = 10
    sign_in_window_minutes: int = 15
    templates_dir: Path = msgspec.field(default_factory=lambda: _resource_dir("templates"))
    sql_dir: Path = msgspec.field(default_factory=lambda: _resource_dir("sql"))
    render_workers: int = 2
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_starttls: bool = False
    in_process_jobs: bool = True
    job_heartbeat_seconds: float = 30.0
    minutes_wait_seconds: float = 20.0
    application_document_max_bytes: int = 4 * 1024 * 1024
    """One document sent with an application; the whole request stays under `max_upload_bytes`."""
    applications_per_hour: int = 20
    """Applications sent from one client address in an hour (the form's rate limit)."""
    audit_key: str = ""
    """Empty: the key file `audit.key` in the data directory (see `jury.db.audit_key`)."""

    @property
    def postgres_dir(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "storage"

    @property
    def migrations_dir(self) -> Path:
        return self.sql_dir / "migrations"

    @property
    def queries_dir(self) -> Path:
        return self.sql_dir / "queries"


# Environment variable -> (field, parser). README's configuration table lists the same names.
ENVIRONMENT: dict[str, tuple[str, type]] = {
    "DATABASE_URL": ("database_url", str),
    "JURY_DATA_DIR": ("data_dir", Path),
    "JURY_HOST": ("host", str),
    "JURY_PORT": ("port", int),
    "JURY_BASE_URL": ("base_url", str),
    "JURY_SECRET_KEY": ("secret_key", str),
    "JURY_LOG_FORMAT": ("log_format", str),
    "JURY_LOG_LEVEL": ("log_level", str),
    "JURY_DEBUG": ("debug", bool),
    "JURY_POOL_MIN_SIZE": ("pool_min_size", int),
    "JURY_POOL_MAX_SIZE": ("pool_max_size", int),
    "JURY_MAX_UPLOAD_BYTES": ("max_upload_bytes", int),
    "JURY_SESSION_IDLE_MINUTES": ("session_idle_minutes", int),
    "JURY_SIGN_IN_ATTEMPTS_PER_MINUTE": ("sign_in_attempts_per_minute", int),
    "JURY_SIGN_IN_FAILURES_PER_CREDENTIAL": ("sign_in_failures_per_credential", int),
    "JURY_SIGN_IN_FAILURES_PER_SESSION": ("sign_in_failures_per_session", int),
    "JURY_SIGN_IN_WINDOW_MINUTES": ("sign_in_window_minutes", int),
    "JURY_TEMPLATES_DIR": ("templates_dir", Path),
    "JURY_SQL_DIR": ("sql_dir", Path),
    "JURY_RENDER_WORKERS": ("render_workers", int),
    "JURY_SMTP_HOST": ("smtp_host", str),
    "JURY_SMTP_PORT": ("smtp_port", int),
    "JURY_SMTP_USER": ("smtp_user", str),
    "JURY_SMTP_PASSWORD": ("smtp_password", str),
    "JURY_SMTP_FROM": ("smtp_from", str),
    "JURY_SMTP_STARTTLS": ("smtp_starttls", bool),
    "JURY_IN_PROCESS_JOBS": ("in_process_jobs", bool),
    "JURY_JOB_HEARTBEAT_SECONDS": ("job_heartbeat_seconds", float),
    "JURY_MINUTES_WAIT_SECONDS": ("minutes_wait_seconds", float),
    "JURY_APPLICATION_DOCUMENT_MAX_BYTES": ("application_document_max_bytes", int),
    "JURY_APPLICATIONS_PER_HOUR": ("applications_per_hour", int),
    "JURY_AUDIT_KEY": ("audit_key", str),
}


AUDIT_KEY_MIN_LENGTH = 32
"""An HMAC key shorter than this is guessable; `secrets.token_hex(32)` gives 64 characters."""


class SettingsError(ValueError):
    pass


def _parse(raw: str, *, kind: type, name: str) -> object:
    if kind is bool:
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off", ""}:
            return False
        raise SettingsError(f"{name}: expected true or false, got {raw!r}")
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name}: expected an integer, got {raw!r}") from None
    if kind is float:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise SettingsError(f"{name}: expected a positive number of seconds, got {raw!r}")
        return value
    return kind(raw)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from an environment mapping (the process's by default), then explicit overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for name, (field, kind) in ENVIRONMENT.items():
        if name in environ and environ[name] != "":
            values[field] = _parse(environ[name], kind=kind, name=name)
    values.update({k: v for k, v in overrides.items() if v is not None})
    if values.get("log_format", "auto") not in {"auto", "json", "console"}:
        raise SettingsError("JURY_LOG_FORMAT: expected auto, json or console")
    if values.get("audit_key") and len(str(values["audit_key"])) < AUDIT_KEY_MIN_LENGTH:
        raise SettingsError(f"JURY_AUDIT_KEY: expected at least {AUDIT_KEY_MIN_LENGTH} characters")
    if "base_url" not in values and ("host" in values or "port" in values):
        values["base_url"] = f"http://{values.get('host', '127.0.0.1')}:{values.get('port', 8000)}"
    if not values.get("secret_key"):
        # A random key is fine for one process; replicas must share JURY_SECRET_KEY (README says so).
        values["secret_key"] = secrets.token_hex(32)
    return Settings(**values)
