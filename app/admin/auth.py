"""Signing in: sessions tied to the password, and limits on guessing."""

from __future__ import annotations

import hashlib
import secrets

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_babel import lazy_gettext as _l

from app.admin.models import Account
from app.extensions import db, login_manager


class AdminSessions(SecureCookieSessionInterface):
    """The session cookie's Path is /admin/, so browsers never send it anywhere else.

    Pages elsewhere look at the (always empty) session only because Flask-Login's
    template helper does; they must not answer `Vary: Cookie`, which stops CDNs
    from sharing them, nor set a cookie.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not where_the_cookie_goes(app, request):
            return self.session_class()  # no cookie comes here: skip building a signer
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if where_the_cookie_goes(app, request):
            super().save_session(app, session, response)


def where_the_cookie_goes(app: Flask, request: Request) -> bool:
    return request.path.startswith(app.config["SESSION_COOKIE_PATH"])


# Browsers keep a Secure cookie over plain HTTP only from the machine itself.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})


def cookie_cannot_be_kept() -> bool:
    """Whether this browser will drop the sign-in cookie: it is Secure and the site was
    reached over plain HTTP from another machine. Signing in then cannot work, whatever
    the password, and the reader should be told why."""
    if not current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure:
        return False
    return request.host.rsplit(":", 1)[0].lower() not in LOCAL_HOSTS


def plain_http_message() -> str:
    return str(
        _l(
            "This page was opened over plain HTTP (an address that starts with http://), so "
            "your browser will not keep the sign-in cookie and signing in cannot work. Open "
            "the site at its https:// address. On a test machine without HTTPS, an "
            "administrator can set XANH_SECURE_COOKIES=0."
        )
    )


def init_auth(app: Flask) -> None:
    app.session_interface = AdminSessions()
    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager._session_identifier_generator = session_identifier


def session_identifier() -> str:
    """What a session is bound to: the browser and the client's address. Flask-Login's
    own reads X-Forwarded-For, which any client can send; the address here is the
    connection's, or the trusted proxy's report of it (ProxyFix, app/headers.py)."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


@login_manager.user_loader
def load_account(session_id: str) -> Account | None:
    """The session holds the account's id and token; a new password makes old tokens void."""
    account_id, _sep, token = session_id.partition(":")
    if not account_id.isdecimal() or not token:
        return None
    account = db.session.get(Account, int(account_id))
    if account is None or not account.is_active:
        return None
    if not secrets.compare_digest(account.session_token.encode(), token.encode()):
        return None
    return account
