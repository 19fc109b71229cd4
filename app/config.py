"""Typed configuration, read from the environment once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'instance' / 'xanh.db'}"


@dataclass(frozen=True)
class Config:
    database_url: str = field(default_factory=_default_database_url)
    content_dir: Path = ROOT / "content"
    search_index_dir: Path = ROOT / "search_index"
    testing: bool = False
    page_cache: bool = True

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or _default_database_url(),
            content_dir=Path(os.environ.get("XANH_CONTENT_DIR") or ROOT / "content"),
            search_index_dir=Path(os.environ.get("XANH_SEARCH_INDEX") or ROOT / "search_index"),
            page_cache=os.environ.get("XANH_PAGE_CACHE", "1") != "0",
        )

    def flask_settings(self) -> dict[str, object]:
        return {
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "CONTENT_DIR": self.content_dir,
            "SEARCH_INDEX_DIR": self.search_index_dir,
            "TESTING": self.testing,
            "PAGE_CACHE": self.page_cache,
            "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
            "BABEL_DEFAULT_LOCALE": "vi",
        }
