"""Xanh: Vietnam's provincial green growth plans, followed in public."""

from __future__ import annotations

from flask import Flask

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
    app.json.ensure_ascii = False  # Vietnamese stays readable in the API
    app.json.sort_keys = False  # records keep the order INTERFACE.md gives
    configure_request_log(app)  # first in, so it times the whole request and logs last
    # Before the page cache: a server whose every answer comes from the cache still
    # notices new data and rebuilds its search index.
    configure_index_freshness(app)
    # Before the extensions' own checks (CSRF, limits), which a cached public page skips.
    configure_page_cache(app)
    configure_extensions(app)
    register_blueprints(app)
    configure_headers(app)
    configure_static_files(app)
    configure_templates(app)
    register_cli(app)
    register_error_handlers(app)
    return app


def configure_extensions(app: Flask) -> None:
    from app.admin.auth import init_auth
    from app.database import enable_sqlite_foreign_keys, ensure_sqlite_folder
    from app.extensions import babel, csrf, db, limiter, migrate
    from app.i18n import current_language
    from app.search.engine import SearchIndex

    ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    # Schema changes run only through `flask db upgrade`, never here.
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=current_language)
    csrf.init_app(app)
    limiter.init_app(app)
    init_auth(app)
    app.extensions["xanh_search"] = SearchIndex(app.config["SEARCH_INDEX_DIR"])
    with app.app_context():
        enable_sqlite_foreign_keys(db.engine)


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin
    from app.admin.routes import entry as admin_entry
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
            pages, plans, indicators, campaigns, provinces, compare, sources, search, updates
        )
    )
    app.register_blueprint(root)
    app.register_blueprint(sitemap)
    app.register_blueprint(api)
    app.register_blueprint(embed)
    app.register_blueprint(embed_host)
    app.register_blueprint(admin_entry)
    app.register_blueprint(admin)
    app.register_blueprint(ops)


def configure_page_cache(app: Flask) -> None:
    from app.cache import init_page_cache

    init_page_cache(app)


def configure_index_freshness(app: Flask) -> None:
    from app.search.freshness import init_index_freshness

    init_index_freshness(app)


def configure_headers(app: Flask) -> None:
    from app.headers import init_headers

    init_headers(app)


def configure_request_log(app: Flask) -> None:
    from app.ops.logs import init_request_log

    init_request_log(app)


def configure_static_files(app: Flask) -> None:
    from app.static_files import init_static_files

    init_static_files(app)


def configure_templates(app: Flask) -> None:
    from app.templating import register_template_helpers

    register_template_helpers(app)


def register_cli(app: Flask) -> None:
    from app.admin.cli import accounts_cli, editor_data_cli
    from app.cli import content_cli, search_cli, translations_cli
    from app.ops.cli import backup_cli

    app.cli.add_command(accounts_cli)
    app.cli.add_command(editor_data_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(translations_cli)


def register_error_handlers(app: Flask) -> None:
    from app.errors.handlers import register

    register(app)
