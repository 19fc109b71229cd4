"""Passwords: Argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_LENGTH = 12
_hasher = PasswordHasher()
# Checked against the same work as a real account, so that a wrong address takes as long.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, email: str) -> str | None:
    """Why a new password is refused, in the reader's language, or None."""
    if len(password) < MIN_LENGTH:
        return _("A password needs at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > 1024:
        return _("A password may have at most 1024 characters.")
    if password.lower() in (email.lower(), email.split("@")[0].lower()):
        return _("A password must not be the account's email address.")
    if len(set(password)) < 5:
        return _("A password needs more different characters.")
    return None
