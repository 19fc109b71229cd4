"""Error pages in the reader's language, and JSON errors for the API."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
    TimeoutError,
)
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, SecurityError
from werkzeug.wrappers import Response

from app.admin.auth import cookie_cannot_be_kept, plain_http_message
from app.extensions import db
from app.i18n import language_from_path

log = logging.getLogger(__name__)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The address or the values sent with it could not be understood."),
        ),
        404: (
            _("Page not found"),
            _(
                "There is no page at this address. It may have been mistyped, or the item may not exist."  # noqa: E501
            ),
        ),
        403: (
            _("Not allowed"),
            _("Your account may not see or change this. Ask an administrator if you need it."),
        ),
        405: (_("Method not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What was sent is too large.")),
        429: (
            _("Too many attempts"),
            _("There were too many failed attempts. Wait 15 minutes and try again."),
        ),
        500: (
            _("Something went wrong"),
            _("The site could not answer this request. Please try again in a moment."),
        ),
        503: (
            _("Temporarily unavailable"),
            _(
                "The site cannot reach its data right now. Please try again in a minute: "
                "nothing is wrong with the address."
            ),
        ),
    }


def host_refused() -> bool:
    """The request names a host the site does not answer to (see app/urls.py)."""
    try:
        request.host  # noqa: B018 (reading it is the check)
    except SecurityError:
        return True
    return False


def refused_host_page(lang: str) -> Response:
    """A plain page with no link: every link would be built on the refused host."""
    title = _("Unknown address")
    text = _("This site does not answer to the address that was asked for.")
    body = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>"
        f"<p>{escape(text)}</p></body></html>"
    )
    return Response(body, 400, mimetype="text/html")


def api_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def handle_http_error(error: HTTPException) -> Response | tuple[str, int]:
    status = error.code or 500
    if not g.get("lang"):
        g.lang = language_from_path(request.path) or None
    title, text = messages().get(status, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        text = _(
            "This form has expired or did not come from this site. "
            "Go back, reload the page and send it again."
        )
        if request.path.startswith("/admin/") and cookie_cannot_be_kept():
            text = plain_http_message()  # the real reason: no session cookie can come back
    if host_refused():
        if is_api_request():
            return api_error(
                400,
                "unknown_host",
                _("This site does not answer to the address that was asked for."),
            )
        return refused_host_page(g.lang or "vi")
    if is_api_request():
        code = (error.name or "error").lower().replace(" ", "_")
        response = api_error(status, code, text)
    else:
        g.error_page = True
        try:
            page = render_template("errors/error.html", status=status, title=title, text=text)
            response = Response(page, status, mimetype="text/html")
        except Exception:  # the page itself failed (say, a broken template): answer plainly
            log.exception("Error page %s could not be rendered", status)
            response = Response(f"{title}\n\n{text}\n", status, mimetype="text/plain")
    return with_error_headers(response, error)


def with_error_headers(
    response: Response | tuple[str, int], error: HTTPException
) -> Response | tuple[str, int]:
    """Keep the headers the error itself carries, such as the Allow list a 405 must give."""
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if not headers:
        return response
    if isinstance(response, tuple):
        return (*response, headers)  # type: ignore[return-value]
    response.headers.extend(headers)
    return response


# Seconds a reader (or a client of the API) is asked to wait after a 503.
RETRY_SECONDS = 30
# Never shown back: a password typed into a form stays with the browser.
SECRET_FIELDS = ("password", "csrf_token")


def database_unavailable(error: Exception) -> Response | tuple[str, int]:
    """The database does not answer (stopped, unreachable, or its disk is full): 503 with
    Retry-After. A form that was being sent comes back filled in, to send again."""
    if isinstance(error, DBAPIError) and not isinstance(error, OperationalError | InterfaceError):
        if not error.connection_invalidated:
            return handle_unexpected(error)
    if "no such table" in str(error) or "no such column" in str(error):
        return handle_unexpected(error)  # SQLite's word for a schema that is wrong: a bug
    log.warning(
        "Database unavailable on %s %s: %s",
        request.method,
        request.path,
        error.orig if isinstance(error, DBAPIError) else error,
    )
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    status = 503
    # Templates ask who is signed in, which needs the database: nobody, for this page.
    g._login_user = AnonymousUserMixin()
    if not g.get("lang"):
        g.lang = language_from_path(request.path) or None
    title, text = messages()[status]
    if is_api_request():
        response = api_error(status, "unavailable", text)
    else:
        again = _("It is kept below, as you typed it. When the site is back, send it again.")
        response = form_kept_page(status, title, text, again)
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


class UnstorableText(BadRequest):
    """A form field holds a character no database column can keep (NUL)."""


def refuse_unstorable_text() -> None:
    """Before a form is read: PostgreSQL refuses NUL in text, so an entry holding one
    would be lost there (and a SQLite backup holding one could not move to PostgreSQL)."""
    if request.method == "POST" and any(
        "\x00" in value for _, value in request.form.items(multi=True)
    ):
        raise UnstorableText()


def unstorable_text(error: UnstorableText) -> Response:
    if not g.get("lang"):
        g.lang = language_from_path(request.path) or None
    title = _("A character could not be kept")
    text = _(
        "A field held a character that cannot be stored (a NUL byte, often pasted from "
        "another program). It is taken out below."
    )
    again = _("Check what you entered and send it again.")
    return form_kept_page(400, title, text, again, clean=lambda value: value.replace("\x00", ""))


# Fields a form sends without showing them: they go back the same way.
HIDDEN_FIELDS = ("revision", "action")


def field_labels() -> dict[str, str]:
    """The editors' form fields by the names their pages give them."""
    return {
        "email": _("Email address"),
        "year": _("Year"),
        "value": _("Value"),
        "achieved": _("Reached"),
        "source_document": _("Source document (number or title)"),
        "source_section": _("Section or page (optional)"),
        "source_date": _("Date of the source (optional)"),
        "note_vi": _("Note in Vietnamese (optional, public)"),
        "note_en": _("Note in English (optional, public)"),
        "reason": _("Reason for the change (needed when you correct a published value; public)"),
    }


def form_kept_page(
    status: int,
    title: str,
    text: str,
    again: str,
    clean: Callable[[str], str] = str,
) -> Response:
    """An error page that gives back the form being sent (passwords excepted), filled in
    as it was typed, to send again (`again` says when)."""
    kept = (
        [
            (name, clean(value))
            for name, value in request.form.items(multi=True)
            if not any(secret in name for secret in SECRET_FIELDS)
        ]
        if request.method == "POST"
        else []
    )
    try:
        body = render_template(
            "errors/form_kept.html",
            status=status,
            title=title,
            text=text,
            again=again,
            shown=[(n, v) for n, v in kept if n not in HIDDEN_FIELDS],
            hidden=[(n, v) for n, v in kept if n in HIDDEN_FIELDS],
            labels=field_labels(),
        )
    except Exception:  # noqa: BLE001  (the page itself needs what is down: answer plainly)
        log.exception("The %s page could not be rendered", status)
        return Response(f"{title}\n\n{text}\n", status, mimetype="text/plain")
    return Response(body, status, mimetype="text/html")


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    log.exception("Unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(UnstorableText, unstorable_text)
    app.register_error_handler(HTTPException, handle_http_error)
    for kind in (OperationalError, InterfaceError, TimeoutError, DBAPIError):
        app.register_error_handler(kind, database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
