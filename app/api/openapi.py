"""The OpenAPI 3.1 description of `/api/v1/`, served at `/api/v1/openapi.json`.

Records may gain fields (INTERFACE.md: add freely), so objects allow more
properties than they list; the listed ones are promised.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.api.parameters import described
from app.http_policy import policy_of
from app.indicators.models import STATUS_KEYS
from app.sources.models import ROLES

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


# A campaign's public pledge count, on its own and inside the campaign record.
PLEDGE_COUNTS: dict[str, Any] = {
    "people": {"type": "integer", "minimum": 0},
    "actions": array(
        obj(
            {
                "key": {"type": "string"},
                "text": ref("Bilingual"),
                "people": {"type": "integer", "minimum": 0},
            }
        )
    ),
    "provinces": array(
        obj(
            {
                "slug": {"type": "string"},
                "name": ref("Bilingual"),
                "people": {"type": "integer", "minimum": 0},
            }
        )
    ),
    "province_not_given": {"type": "integer", "minimum": 0},
    "goal": nullable(
        obj(
            {
                "people": {"type": "integer", "minimum": 1},
                "by": NULLABLE_DATE,
                "label": nullable(ref("Bilingual")),
            }
        )
    ),
    "removed": array(
        obj(
            {
                "count": {"type": "integer", "minimum": 0},
                "reason": {"enum": ["automated", "duplicates", "test"]},
                "on": DATE,
            }
        )
    ),
}


SCHEMAS: dict[str, Any] = {
    "Bilingual": obj({"vi": {"type": "string"}, "en": NULLABLE_STRING}),
    "Urls": obj({"vi": {"type": "string"}, "en": {"type": "string"}}),
    "Named": obj({"slug": {"type": "string"}, "name": ref("Bilingual")}),
    "Source": obj(
        {"document": {"type": "string"}, "section": NULLABLE_STRING},
        {"name": ref("Bilingual"), "entry": ref("Urls")},
    ),
    "Document": obj(
        {
            "key": {"type": "string"},
            "number": NULLABLE_STRING,
            "kind": {"type": "string"},
            "issued": NULLABLE_DATE,
            "title": ref("Bilingual"),
            "held": {"type": "boolean"},
            "entry": ref("Urls"),
        }
    ),
    "Error": obj({"error": obj({"code": {"type": "string"}, "message": {"type": "string"}})}),
    "Plan": obj(
        {
            "slug": {"type": "string"},
            "number": {"type": "string"},
            "title": ref("Bilingual"),
            "summary": ref("Bilingual"),
            "province": ref("Named"),
            "issued": NULLABLE_DATE,
            "period": nullable(obj({"start": {"type": "integer"}, "end": NULLABLE_INT})),
            "status": {"enum": ["in_force", "ended", "replaced"]},
            "indicators": array({"type": "string"}),
            "url": ref("Urls"),
        },
        {
            "signed_by": NULLABLE_STRING,
            "phases": array(
                obj(
                    {
                        "start": {"type": "integer"},
                        "end": {"type": "integer"},
                        "description": ref("Bilingual"),
                    }
                )
            ),
            "legal_trail": array(
                {
                    "allOf": [
                        ref("Document"),
                        obj(
                            {
                                "role": {"enum": list(ROLES)},
                                "section": NULLABLE_STRING,
                            }
                        ),
                    ]
                }
            ),
            "tasks": array(
                obj({"key": {"type": "string"}, "title": ref("Bilingual"), "lead": ref("Named")})
            ),
            "reporting": array(
                obj(
                    {
                        "reporters": ref("Bilingual"),
                        "recipient": nullable(ref("Named")),
                        "note": nullable(ref("Bilingual")),
                        "last_due": NULLABLE_DATE,
                        "next_due": NULLABLE_DATE,
                    }
                )
            ),
        },
    ),
    "Observation": obj(
        {"year": {"type": "integer"}, "value": NULLABLE_NUMBER, "source": ref("Source")},
        {"achieved": {"type": ["boolean", "null"]}},
    ),
    "Indicator": obj(
        {
            "slug": {"type": "string"},
            "title": ref("Bilingual"),
            "province": ref("Named"),
            "plan": obj({"slug": {"type": "string"}, "number": {"type": "string"}}),
            "kind": {"enum": ["quantitative", "milestone"]},
            "unit": nullable(ref("Bilingual")),
            "direction": {"enum": ["increase", "decrease", "none"]},
            "baseline": nullable(obj({"year": {"type": "integer"}, "value": {"type": "number"}})),
            "target": nullable(
                obj(
                    {
                        "year": {"type": "integer"},
                        "value": NULLABLE_NUMBER,
                        "value_high": NULLABLE_NUMBER,
                        "comparator": {"enum": [">=", ">", "<=", "<", "=", "between", None]},
                        "text": ref("Bilingual"),
                    }
                )
            ),
            "observations": array(ref("Observation")),
            "status": {"enum": list(STATUS_KEYS)},
            "status_inputs": {
                "type": "object",
                "required": ["method"],
                "properties": {
                    "method": {
                        "enum": [
                            "cagr",
                            "linear",
                            "milestone",
                            "yearly_average",
                            "every_year",
                            "override",
                        ]
                    },
                    "reason": {},
                    "ratio": {"type": "number"},
                },
                "description": "The figures behind the status; see /<lang>/methodology/.",
            },
            "reporting": obj(
                {
                    "last_due": NULLABLE_DATE,
                    "next_due": NULLABLE_DATE,
                    "awaited_year": NULLABLE_INT,
                    "overdue": {"type": "boolean"},
                }
            ),
            "source": ref("Source"),
            "url": ref("Urls"),
            "embed_url": ref("Urls"),
        }
    ),
    "Campaign": obj(
        {
            "slug": {"type": "string"},
            "title": ref("Bilingual"),
            "summary": ref("Bilingual"),
            "provinces": array(ref("Named")),
            "actions": array(ref("Bilingual")),
            "indicators": array({"type": "string"}),
            "pledges": obj(PLEDGE_COUNTS),
            "url": ref("Urls"),
        }
    ),
    "PledgeCount": obj({"campaign": {"type": "string"}, **PLEDGE_COUNTS, "url": ref("Urls")}),
    "Comparison": obj(
        {
            "slug": {"type": "string"},
            "title": ref("Bilingual"),
            "summary": ref("Bilingual"),
            "differences": nullable(ref("Bilingual")),
            "entries": array(
                obj(
                    {
                        "indicator": {"type": "string"},
                        "province": ref("Named"),
                        "definition": ref("Bilingual"),
                    }
                )
            ),
            "url": ref("Urls"),
        }
    ),
    "SearchAnswer": obj(
        {
            "query": {"type": "string"},
            "lang": {"enum": ["vi", "en"]},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "results": array(
                obj(
                    {
                        "type": {"enum": ["plan", "indicator", "campaign", "page"]},
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "url": {"type": "string"},
                        "snippet": {"type": "string"},
                    }
                )
            ),
            "suggestion": NULLABLE_STRING,
            "corrected": NULLABLE_STRING,
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
        }
    ),
}


def parameter(name: str, schema: dict[str, Any], where: str = "query", **extra: Any) -> dict:
    return {"name": name, "in": where, "required": where == "path", "schema": schema, **extra}


def answer(schema: dict[str, Any] | None, description: str, media: str = "application/json"):  # noqa: ANN201
    responses: dict[str, Any] = {
        "200": {"description": description, "content": {media: {"schema": schema or {}}}}
    }
    return responses


def errors(*codes: str) -> dict[str, Any]:
    messages = {"400": _("A parameter has a value it does not accept"), "404": _("No such item")}
    return {
        code: {
            "description": messages[code],
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for code in codes
    }


def operation(summary: str, responses: dict[str, Any], parameters: list | None = None) -> dict:
    if any(p["in"] == "query" for p in parameters or []):
        responses = {**responses, **errors("400")}  # each is checked against its schema
    # The server reads request lines up to 4,094 bytes (gunicorn's limit): a longer
    # address gets a plain-text 414 before the API sees it.
    responses = {**responses, "414": {"description": _("The address is too long")}}
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


# The open-data licence of everything the API answers (JSON and CSV alike).
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


def document(choices: dict[str, list[str]]) -> dict[str, Any]:
    """The whole description; `choices` are the accepted values of the parameters that
    name provinces, plans, statuses and themes. Each path's query parameters are those
    its view declares (app/api/parameters.py). Its words are in the current language:
    the JSON is English, the readable page the reader's."""
    slug = parameter("slug", {"type": "string"}, where="path")

    def query(endpoint: str) -> list[dict[str, Any]]:
        policy = policy_of(f"api.{endpoint}")
        return described(policy.params if policy else (), choices)

    csv = {
        "type": "string",
        "description": _(
            "UTF-8 CSV with a byte-order mark; a text cell that starts with = + - @ or a tab"
            " is written with a leading apostrophe, so spreadsheets show it as text"
        ),
    }

    def paged_listing(key: str, item: str) -> dict[str, Any]:
        """A list that comes a page at a time (`?page=`): how many in all, and the next."""
        return obj(
            {
                key: array(ref(item)),
                "total": {"type": "integer", "minimum": 0},
                "next": {"type": ["string", "null"], "format": "uri"},
            }
        )

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Xanh open data API",
            "version": "1",
            "description": _(
                "Vietnam's provincial green growth plans, their targets, reported "
                "values and campaigns. Every figure names its source document. Free to reuse "
                "under CC BY 4.0: credit Xanh and the source document each figure names."
            ),
            "license": LICENCE,
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/plans": operation(
                _("All plans"), answer(paged_listing("plans", "Plan"), _("Plans")), query("plans")
            ),
            "/plans/{slug}": operation(
                _("One plan"),
                {**answer(ref("Plan"), _("The plan")), **errors("404")},
                [slug, *query("plan")],
            ),
            "/indicators": operation(
                _("Indicators, optionally filtered"),
                {
                    **answer(paged_listing("indicators", "Indicator"), _("Indicators")),
                    **errors("400"),
                },
                query("indicators"),
            ),
            "/indicators.csv": operation(
                _("Indicators and all their values as one CSV table"),
                {**answer(csv, _("CSV, one row per value"), "text/csv"), **errors("400")},
                query("indicators_csv"),
            ),
            "/indicators/{slug}": operation(
                _("One indicator"),
                {**answer(ref("Indicator"), _("The indicator")), **errors("404")},
                [slug, *query("indicator")],
            ),
            "/indicators/{slug}.csv": operation(
                _("One indicator's values as CSV"),
                {**answer(csv, _("CSV, one row per value"), "text/csv"), **errors("404")},
                [slug, *query("indicator_csv")],
            ),
            "/campaigns": operation(
                _("All campaigns"),
                answer(paged_listing("campaigns", "Campaign"), _("Campaigns")),
                query("campaigns"),
            ),
            "/campaigns/{slug}": operation(
                _("One campaign"),
                {**answer(ref("Campaign"), _("The campaign")), **errors("404")},
                [slug, *query("campaign")],
            ),
            "/campaigns/{slug}/pledges": operation(
                _("How many people pledged to a campaign's actions, and where"),
                {**answer(ref("PledgeCount"), _("The public count")), **errors("404")},
                [slug, *query("campaign_pledges")],
            ),
            "/comparisons": operation(
                _("Targets of different provinces that measure the same thing"),
                answer(paged_listing("comparisons", "Comparison"), _("Comparisons")),
                query("comparisons"),
            ),
            "/search": operation(
                _("Search plans, indicators, campaigns and pages"),
                {**answer(ref("SearchAnswer"), _("Search results")), **errors("400")},
                query("search"),
            ),
            "/openapi.json": operation(
                _("This description"),
                answer({"type": "object"}, "OpenAPI"),
                query("openapi_document"),
            ),
        },
        "components": {"schemas": SCHEMAS},
    }
