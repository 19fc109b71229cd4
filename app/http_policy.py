"""Each view's HTTP behaviour, declared once beside it.

A view says, with `@declare(...)`, how long its answer may be cached and by
whom, whether other sites may frame it or read it from their scripts, which
query parameters and request headers its answer depends on, and whether it
reads the search index. The page cache builds its key from that declaration,
and the response headers (Cache-Control, framing, CORS, Vary) follow from it.
Nothing here looks at URL prefixes or endpoint names.

A view also sees only the query parameters it declared: `request.args` is cut
down to them before it runs, so a parameter the cache key does not hold cannot
change the page (a junk `?x=…` gets the cached page everyone gets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Blueprint, Flask, current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.datastructures import ImmutableMultiDict

View = TypeVar("View", bound=Callable)

# A shared cache (proxy, CDN) may keep public pages this long, then revalidates by ETag;
# browsers revalidate each time (a 304 costs little), so an editor sees a published value
# at once and readers behind a CDN within this time.
SHARED_SECONDS = 60


@dataclass(frozen=True)
class HttpPolicy:
    # None: never stored by anyone (private or personal answers); else the seconds a
    # shared cache may keep it. Only answers with a lifetime go into the page cache.
    shared_seconds: int | None
    browser_seconds: int = 0
    embeddable: bool = False  # other sites may show it in a frame
    cross_origin: bool = False  # other sites' scripts may read it
    params: tuple[str, ...] = ()  # the query parameters the answer depends on
    by_browser_language: bool = False  # the answer follows Accept-Language
    reads_index: bool = False  # the answer depends on the search index build
    shows_pledges: bool = False  # the answer shows pledge counts, which move between versions
    # The kind of item ("indicator", "plan", "province", "campaign", "page") whose `slug`
    # the answer is about and whose data alone it shows: the page cache keeps it across
    # a publish that touched no such item (app/scopes.py). None: it shows data of many.
    about: str | None = None

    @property
    def cached(self) -> bool:
        return self.shared_seconds is not None

    @property
    def cache_control(self) -> str:
        if self.shared_seconds is None:
            return "no-store"
        if self.browser_seconds:
            return f"public, max-age={self.browser_seconds}"
        return f"public, max-age=0, s-maxage={self.shared_seconds}"


def page(
    *params: str, reads_index: bool = False, shows_pledges: bool = False, about: str | None = None
) -> HttpPolicy:
    """A public HTML page, the feed or the sitemap."""
    return HttpPolicy(
        SHARED_SECONDS,
        params=params,
        reads_index=reads_index,
        shows_pledges=shows_pledges,
        about=about,
    )


def api(
    *params: str, reads_index: bool = False, shows_pledges: bool = False, about: str | None = None
) -> HttpPolicy:
    """A public API answer: readable from any site's scripts; messages follow ?lang= or
    the browser's language."""
    return HttpPolicy(
        SHARED_SECONDS,
        cross_origin=True,
        params=("lang", *params),
        by_browser_language=True,
        reads_index=reads_index,
        shows_pledges=shows_pledges,
        about=about,
    )


def embeddable(
    *params: str, seconds: int = 300, shows_pledges: bool = False, about: str | None = None
) -> HttpPolicy:
    """A widget, image card or oEmbed answer, made to be used on other sites."""
    return HttpPolicy(
        seconds,
        browser_seconds=seconds,
        embeddable=True,
        cross_origin=True,
        params=params,
        shows_pledges=shows_pledges,
        about=about,
    )


# Signed-in pages, the health check, redirects that follow the browser: never stored.
PRIVATE = HttpPolicy(None)
# Static files set their own lifetimes (fingerprinted names are kept a year).
STATIC = HttpPolicy(None)


def declare(policy: HttpPolicy) -> Callable[[View], View]:
    def mark(view: View) -> View:
        view.http_policy = policy  # type: ignore[attr-defined]
        return view

    return mark


def declare_all(blueprint: Blueprint, policy: HttpPolicy) -> None:
    """Declare one policy for every view of a blueprint (signed-in pages, say)."""

    def mark_views(state: BlueprintSetupState) -> None:
        for endpoint, view in state.app.view_functions.items():
            if endpoint.startswith(f"{blueprint.name}.") and not hasattr(view, "http_policy"):
                setattr(view, "http_policy", policy)  # noqa: B010  (views are plain functions)

    blueprint.record(mark_views)


def policy_of(endpoint: str | None, app: Flask | None = None) -> HttpPolicy | None:
    """The declared policy of the view behind an endpoint (None: undeclared or no view)."""
    view = (app or current_app).view_functions.get(endpoint or "")
    return getattr(view, "http_policy", None)


def request_policy() -> HttpPolicy:
    """The policy of this request's view; a request no view answers (a 404, a 405) is
    treated as private: nothing stores it."""
    return policy_of(request.endpoint) or PRIVATE


def cut_to_declared_params() -> None:
    """Give the view only the parameters it declared, one value each."""
    if not request.args:
        return
    policy = request_policy()
    if not policy.cached:
        return  # nothing is shared: a signed-in page reads what it likes (?next=)
    kept = [(name, request.args[name]) for name in policy.params if name in request.args]
    if len(kept) != len(list(request.args.items(multi=True))):
        request.environ["xanh.repeated"] = [
            name for name in policy.params if len(request.args.getlist(name)) > 1
        ]
        request.args = ImmutableMultiDict(kept)
