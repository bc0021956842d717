"""Build the application's configuration: defaults, then ``LMS_*`` variables, then overrides.

Every key below may be set from the environment by prefixing it with ``LMS_``
(``LMS_DATABASE_URL``, ``LMS_SECRET_KEY``, ``LMS_ENV`` ...).  Values from the
environment are parsed to the type of the default.  Settings a person may
change without a deploy (pass marks, timeouts ...) do *not* live here: they are
in the database (see :mod:`lms.core.settings`); this file only holds their
first defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # "development" (embedded defaults), "testing", or "production".
    "ENV": "development",
    "SECRET_KEY": None,
    # Embedded default: SQLite files in the instance folder (filled in by load_config).
    "DATABASE_URL": None,
    "SANDBOX_DATABASE_URL": None,
    # Echo SQL (debugging only).
    "DATABASE_ECHO": False,
    # Argon2id parameters: OWASP's minimum is m=19456 KiB, t=2, p=1.
    "ARGON2_MEMORY_COST": 19456,
    "ARGON2_TIME_COST": 2,
    "ARGON2_PARALLELISM": 1,
    # Mail: "folder" writes .eml files into MAIL_FOLDER; "smtp" sends through SMTP_*.
    "MAIL_BACKEND": "folder",
    "MAIL_FOLDER": None,
    "MAIL_FROM": "HMIS Training <no-reply@hmis-training.invalid>",
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "SMTP_TIMEOUT": 10,
    # Mail delivery retries: the n-th retry waits MAIL_RETRY_BASE_SECONDS * 2**(n-1).
    "MAIL_MAX_ATTEMPTS": 6,
    "MAIL_RETRY_BASE_SECONDS": 60,
    # Rate limits per client address (Flask-Limiter); "memory://" or "redis://host:port/db".
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_LOGIN": "30 per minute",
    # The public certificate check (/verify), per client address.
    "RATELIMIT_VERIFY": "30 per minute",
    # A Unicode TrueType font for certificates (empty: DejaVu Sans where the system has it).
    "CERTIFICATE_FONT": "",
    # Calls to /api/v1/ per token (and per address for calls without a usable token).
    "RATELIMIT_API": "300 per minute",
    # Run the scheduler inside the web process (the development server does; production
    # runs one `flask scheduler run` process instead).
    "SCHEDULER_IN_PROCESS": False,
    # Base URL used in e-mailed links when no request is at hand (jobs, CLI).
    "BASE_URL": "http://127.0.0.1:5000",
    # Serve Secure cookies and HSTS (on automatically in production).
    "HTTPS": False,
    # The TOTP issuer name shown in authenticator apps.
    "TOTP_ISSUER": "HMIS Training",
    # Behind nginx: the URL prefix of its internal location holding the course videos (for example
    # "/protected-media/"); once the access check passes, the answer is an X-Accel-Redirect there and
    # nginx sends the file (with Range support).  Empty: the application sends the file itself.
    "VIDEO_ACCEL_REDIRECT": "",
    # Course videos uploaded by HMIS leads: where they are kept (empty: "media" in the instance folder),
    # the largest MP4 accepted (megabytes), and nginx's internal location for that folder (empty: the
    # application sends uploaded files itself, even when VIDEO_ACCEL_REDIRECT is set).
    "MEDIA_FOLDER": "",
    "VIDEO_MAX_MB": 200,
    "MEDIA_ACCEL_REDIRECT": "",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """Raise when the configuration cannot be used (for example production without a secret)."""


def _parse(key: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ConfigError(f"LMS_{key} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"LMS_{key} must be a whole number, not {raw!r}") from None
    return raw


def load_config(
    instance_path: str | os.PathLike[str],
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return the validated configuration for one application instance."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = environ.get(f"LMS_{key}")
        if raw is not None:
            config[key] = _parse(key, raw, default)
    if overrides:
        config.update(overrides)

    instance = Path(instance_path)
    env = config["ENV"]
    if env not in {"development", "testing", "production"}:
        raise ConfigError(f"LMS_ENV must be development, testing or production, not {env!r}")
    if env == "production":
        # The sandbox needs its own server database too: several hosts cannot share an SQLite file.
        missing = [f"LMS_{k}" for k in ("SECRET_KEY", "DATABASE_URL", "SANDBOX_DATABASE_URL") if not config.get(k)]
        if missing:
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
            raise ConfigError(f"Production refuses to start without {listed}.")
        if config["MAIL_BACKEND"] == "folder" and not config["MAIL_FOLDER"]:
            config["MAIL_BACKEND"] = "smtp"
        config["HTTPS"] = True
        # OWASP's minimum for Argon2id; only tests and development may go lower (for speed).
        if (config["ARGON2_MEMORY_COST"] < 19456 or config["ARGON2_TIME_COST"] < 2
                or config["ARGON2_PARALLELISM"] < 1):
            raise ConfigError("Production needs Argon2 parameters of at least m=19456 KiB, t=2, p=1 (OWASP).")
    if not config["SECRET_KEY"]:
        # Development only: a per-instance random key, kept in the instance folder so
        # sessions survive a restart of the dev server.
        config["SECRET_KEY"] = _instance_secret(instance)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'lms.sqlite3'}"
    if not config["SANDBOX_DATABASE_URL"]:
        config["SANDBOX_DATABASE_URL"] = f"sqlite:///{instance / 'sandbox.sqlite3'}"
    if not config["MAIL_FOLDER"]:
        config["MAIL_FOLDER"] = str(instance / "mail")
    if config["MAIL_BACKEND"] not in {"folder", "smtp"}:
        raise ConfigError("LMS_MAIL_BACKEND must be 'folder' or 'smtp'.")
    if config["ARGON2_MEMORY_COST"] < 8 or config["ARGON2_TIME_COST"] < 1:
        raise ConfigError("Argon2 parameters are too small to be valid.")
    return config


def _instance_secret(instance: Path) -> str:
    import secrets

    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
