"""Starting the server: a setting that cannot work stops it with one clear line."""

from __future__ import annotations

import faulthandler
import sys
from urllib.parse import unquote

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app import create_app
from app.config import ConfigError
from app.extensions import db


def check_database(app: Flask) -> None:
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            where = unquote(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string())
            reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
            raise ConfigError(f"the database {where} cannot be reached: {reason}") from None
        finally:
            db.session.remove()
            # gunicorn loads the app once, then forks: no worker may inherit this connection.
            db.engine.dispose()


def start() -> Flask:
    """The app for gunicorn and the `flask` command, or exit saying what is wrong."""
    # A crash inside a C extension then leaves every thread's Python stack in the log,
    # instead of only gunicorn's "worker was sent SIGSEGV".
    faulthandler.enable()
    try:
        app = create_app()
        check_database(app)
    except ConfigError as error:
        sys.exit(f"Xanh cannot start: {error}.")
    return app
