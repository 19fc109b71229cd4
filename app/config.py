"""Typed configuration, read from the environment once at start-up."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'instance' / 'xanh.db'}"


class ConfigError(ValueError):
    """A setting Xanh cannot start with, said in one line."""


def _local_secret_key() -> str:
    """A random key kept in instance/, made on first use, for a single machine.

    Several servers must share one key: they set SECRET_KEY instead.
    """
    path = ROOT / "instance" / "secret_key"
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32))
        return path.read_text().strip()
    except OSError as error:
        raise ConfigError(
            f"SECRET_KEY is not set and {path} cannot be made ({error.strerror}); set SECRET_KEY"
        ) from None


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key is None:
        return _local_secret_key()
    if len(key) < 32:
        raise ConfigError(
            "SECRET_KEY is shorter than 32 characters; make one with "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return key


def _count(name: str, default: int = 0) -> int:
    text = os.environ.get(name) or str(default)
    if not text.isdecimal():
        raise ConfigError(f"{name} must be a whole number, not “{text[:40]}”")
    return int(text)


def _public_url() -> str | None:
    url = (os.environ.get("XANH_PUBLIC_URL") or "").strip().rstrip("/")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
        raise ConfigError(
            "XANH_PUBLIC_URL must be the site's public address with no path, "
            "such as https://xanh.example"
        )
    return url


def _hosts(name: str) -> tuple[str, ...]:
    return tuple(h.strip() for h in (os.environ.get(name) or "").split(",") if h.strip())


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or _default_database_url()
    try:
        make_url(url)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL; write sqlite:////path/to/xanh.db "
            "or postgresql+psycopg://user@host/name"
        ) from None
    return url


@dataclass(frozen=True)
class Config:
    database_url: str = field(default_factory=_default_database_url)
    content_dir: Path = ROOT / "content"
    search_index_dir: Path = ROOT / "search_index"
    testing: bool = False
    page_cache: bool = True
    # Each worker's page cache holds at most this much (bodies, headers, keys).
    page_cache_bytes: int = 64 * 1024 * 1024
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    # Browsers send Secure cookies only over HTTPS (and to localhost, for development).
    secure_cookies: bool = True
    # How many reverse proxies stand in front and set X-Forwarded-For/-Proto/-Host.
    trusted_proxies: int = 0
    # The address readers use ("https://xanh.example"): every absolute URL is built on it,
    # and requests naming another host are refused. None only for development.
    public_url: str | None = None
    # Other names the servers answer to (an internal health check's, say).
    extra_hosts: tuple[str, ...] = ()
    # Pledges: a person takes more than this to fill in the form; a script often does not.
    pledge_min_seconds: float = 3.0
    # Pledges one address may make per hour and per day (a school or office shares one
    # address), and one browser per hour.
    pledges_per_address_hour: int = 30
    pledges_per_address_day: int = 200
    pledges_per_browser_hour: int = 5
    # Where readers write (privacy requests, corrections): shown at the foot of every page.
    contact_email: str | None = None
    # Email alerts: the SMTP server (app/alerts/mail.py) and the sender's address.
    smtp_url: str | None = None
    alerts_from: str | None = None
    alerts_settle_seconds: int = 10

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            database_url=_database_url(),
            content_dir=Path(os.environ.get("XANH_CONTENT_DIR") or ROOT / "content"),
            search_index_dir=Path(os.environ.get("XANH_SEARCH_INDEX") or ROOT / "search_index"),
            page_cache=os.environ.get("XANH_PAGE_CACHE", "1") != "0",
            page_cache_bytes=_count("XANH_PAGE_CACHE_MB", 64) * 1024 * 1024,
            secret_key=_secret_key(),
            secure_cookies=os.environ.get("XANH_SECURE_COOKIES", "1") != "0",
            trusted_proxies=_count("XANH_TRUSTED_PROXIES"),
            public_url=_public_url(),
            extra_hosts=_hosts("XANH_EXTRA_HOSTS"),
            pledge_min_seconds=_count("XANH_PLEDGE_MIN_SECONDS", 3),
            pledges_per_address_hour=_count("XANH_PLEDGES_PER_ADDRESS_HOUR", 30),
            pledges_per_address_day=_count("XANH_PLEDGES_PER_ADDRESS_DAY", 200),
            pledges_per_browser_hour=_count("XANH_PLEDGES_PER_BROWSER_HOUR", 5),
            contact_email=(os.environ.get("XANH_CONTACT_EMAIL") or "").strip() or None,
            smtp_url=(os.environ.get("SMTP_URL") or "").strip() or None,
            alerts_from=(os.environ.get("XANH_ALERTS_FROM") or "").strip() or None,
            alerts_settle_seconds=_count("XANH_ALERTS_SETTLE_SECONDS", 10),
        )

    @property
    def mail_domain(self) -> str:
        return (urlsplit(self.public_url).hostname if self.public_url else None) or "localhost"

    def flask_settings(self) -> dict[str, object]:
        return {
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                # A database host that does not answer fails within seconds, not minutes:
                # readers then get cached pages or a 503 (app/errors/handlers.py).
                **(
                    {"connect_args": {"connect_timeout": 5}}
                    if self.database_url.startswith("postgresql")
                    else {}
                ),
            },
            "CONTENT_DIR": self.content_dir,
            "SEARCH_INDEX_DIR": self.search_index_dir,
            "TESTING": self.testing,
            "PAGE_CACHE": self.page_cache,
            "PAGE_CACHE_BYTES": self.page_cache_bytes,
            "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
            "BABEL_DEFAULT_LOCALE": "vi",
            "SECRET_KEY": self.secret_key,
            "SESSION_COOKIE_NAME": "xanh_session",
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_PATH": "/admin/",
            "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # a working day
            "WTF_CSRF_TIME_LIMIT": 8 * 3600,
            "TRUSTED_PROXIES": self.trusted_proxies,
            # No request body larger than this is read: the largest the site takes is an
            # editor's CSV of a year's values (a few hundred kB at national scale).
            "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
            "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
            "PUBLIC_URL": self.public_url,
            "CONTACT_EMAIL": self.contact_email,
            "SMTP_URL": self.smtp_url,
            "ALERTS_SETTLE_SECONDS": self.alerts_settle_seconds,
            "ALERTS_FROM": self.alerts_from or f"Xanh <alerts@{self.mail_domain}>",
            "PLEDGE_MIN_SECONDS": self.pledge_min_seconds,
            "PLEDGE_LIMITS": {
                "address-hour": self.pledges_per_address_hour,
                "address-day": self.pledges_per_address_day,
                "browser-hour": self.pledges_per_browser_hour,
            },
            # Werkzeug answers 400 to a request for any other host.
            "TRUSTED_HOSTS": (
                [urlsplit(self.public_url).hostname, *self.extra_hosts] if self.public_url else None
            ),
            # Brotli for browsers, gzip for the rest; each page is compressed once per data
            # version and kept in the page cache.
            "COMPRESS_ALGORITHM": ["br", "gzip"],
            "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
            # Its hook runs in the app's own list of hooks (app/__init__.py).
            "COMPRESS_REGISTER": False,
            # Flask-Login: no "remember me" cookie; the session ends with the working day.
            "REMEMBER_COOKIE_DURATION": 0,
        }
