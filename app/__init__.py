"""Xanh: Vietnam's provincial green growth plans, followed in public."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

from app.config import ROOT, Config


def create_app(config: Config | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, templates, CLI, errors."""
    config = config or Config.from_env()
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder="templates",
    )
    app.config.from_mapping(config.flask_settings())
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Vietnamese stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]  # records keep INTERFACE.md's order
    configure_publishing(app)
    configure_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    configure_static_files(app)
    configure_templates(app)
    register_cli(app)
    register_error_handlers(app)
    return app


def configure_extensions(app: Flask) -> None:
    from app.admin.auth import init_auth
    from app.database import enable_sqlite_foreign_keys, ensure_sqlite_folder
    from app.extensions import babel, compress, csrf, db, migrate
    from app.i18n import current_language
    from app.search.engine import SearchIndex

    ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    # Schema changes run only through `flask db upgrade`, never here.
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=current_language)
    csrf.init_app(app)
    compress.init_app(app)  # its hook is called in register_request_hooks
    init_auth(app)
    app.extensions["xanh_search"] = SearchIndex(app.config["SEARCH_INDEX_DIR"])
    with app.app_context():
        enable_sqlite_foreign_keys(db.engine)


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin
    from app.admin.routes import entry as admin_entry
    from app.alerts.routes import bp as alerts
    from app.alerts.routes import one_click as alerts_one_click
    from app.api.docs import bp as api_docs
    from app.api.routes import bp as api
    from app.campaigns.routes import bp as campaigns
    from app.compare.routes import bp as compare
    from app.embed.routes import bp as embed
    from app.embed.routes import host as embed_host
    from app.indicators.routes import bp as indicators
    from app.ops.routes import bp as ops
    from app.pages.routes import bp as pages
    from app.pages.routes import root
    from app.plans.routes import bp as plans
    from app.provinces.routes import bp as provinces
    from app.search.routes import bp as search
    from app.site import build_site
    from app.sources.routes import bp as sources
    from app.updates.routes import bp as updates
    from app.updates.routes import root as sitemap

    app.register_blueprint(
        build_site(
            pages,
            plans,
            indicators,
            campaigns,
            provinces,
            compare,
            sources,
            search,
            updates,
            api_docs,
            alerts,
        )
    )
    app.register_blueprint(alerts_one_click)
    app.register_blueprint(root)
    app.register_blueprint(sitemap)
    app.register_blueprint(api)
    app.register_blueprint(embed)
    app.register_blueprint(embed_host)
    app.register_blueprint(admin_entry)
    app.register_blueprint(admin)
    app.register_blueprint(ops)


def configure_publishing(app: Flask) -> None:
    """The data version, and what listens for its changes: the indicators' stored
    statuses, the page cache and the search index."""
    from app.cache import init_page_cache
    from app.indicators.stored import keep_with_publishing
    from app.publishing import init_publishing
    from app.search.updates import init_index_updates

    init_publishing(app)
    keep_with_publishing()
    init_page_cache(app)
    init_index_updates(app)


def register_request_hooks(app: Flask) -> None:
    """Every hook of every request, in the order it runs.

    Registered after the extensions, whose own hooks (CSRF, sign-in limits, the
    signed-in account) come from their init_app: ours are put before theirs, so a
    cached answer skips their work. Flask runs before-request hooks in the order
    registered and after-request hooks in the reverse order.
    """
    from app.cache import CacheFront, serve_from_cache, store_in_cache
    from app.errors.handlers import refuse_unstorable_text
    from app.headers import CrossOrigin, compressed, declared_headers, trust_proxies
    from app.http_policy import cut_to_declared_params
    from app.ops.logs import init_request_log, log_request, start_timer
    from app.publishing import notice_new_data

    # Below Flask, outermost first: the client's address and scheme as the trusted proxy
    # reports them, then cache hits answered before a request context is made.
    app.wsgi_app = CacheFront(app, app.wsgi_app)  # type: ignore[method-assign]
    trust_proxies(app)
    init_request_log(app)
    before: list[Callable[[], Response | None]] = [
        start_timer,  # first: the log times the whole request
        cut_to_declared_params,  # before anything reads the query string
        notice_new_data,  # wakes the cache and the index when another server published
        serve_from_cache,  # a hit answers here, before the extensions' checks run
        refuse_unstorable_text,  # a form holding NUL comes back before anything stores it
    ]
    after: list[Callable[[Response], Response]] = [
        declared_headers,  # security, framing and caching headers, and the ETag
        CrossOrigin(app),  # cross-origin headers where the view declares them
        compressed,  # then the body is compressed (and its ETag marked so)
        store_in_cache,  # the final answer, headers and all, is what the cache keeps
        log_request,  # last: the status, size and time as the reader gets them
    ]
    app.before_request_funcs.setdefault(None, [])[:0] = before
    after_hooks = app.after_request_funcs.setdefault(None, [])
    after_hooks[:0] = after[::-1]  # theirs run first, then ours, the log last


def configure_static_files(app: Flask) -> None:
    from app.static_files import init_static_files

    init_static_files(app)


def configure_templates(app: Flask) -> None:
    from app.templating import register_template_helpers

    register_template_helpers(app)


def register_cli(app: Flask) -> None:
    from app.admin.cli import accounts_cli, editor_data_cli
    from app.alerts.cli import alerts_cli
    from app.cli import content_cli, search_cli, translations_cli
    from app.ops.cli import backup_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(alerts_cli)
    app.cli.add_command(editor_data_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(translations_cli)


def register_error_handlers(app: Flask) -> None:
    from app.errors.handlers import register

    register(app)
