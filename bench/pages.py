"""One page of each type, as a reader meets them: the list `make screenshots` and the
Lighthouse benchmark both go through."""

from __future__ import annotations

PAGE_TYPES = {
    "home": "/{lang}/",
    "plans": "/{lang}/plans/",
    "plan": "/{lang}/plans/bac-giang-1026-2022/",
    "targets": "/{lang}/indicators/",
    "target": "/{lang}/indicators/hai-phong-urban-wastewater-treated/",
    "campaign": "/{lang}/campaigns/plastic-bags/",
    "provinces": "/{lang}/provinces/",
    "province": "/{lang}/provinces/bac-giang/",
    "compare": "/{lang}/compare/",
    "methodology": "/{lang}/methodology/",
    "sources": "/{lang}/sources/",
    "source": "/{lang}/sources/bac-giang-1026-2022/",
    "search": "/{lang}/search?q=rac+thai",
    "api": "/{lang}/api/",
    "widget": "/embed/{lang}/indicators/hai-phong-urban-wastewater-treated?view=chart",
}
LANGS = ("vi", "en")
