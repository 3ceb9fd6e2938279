"""One rule for list shapes: every list of records is paginated; a bare array is only a bounded summary."""

from tests.quality.openapi import live_schema, resolve

# Bounded summaries of one thing (one row per fixed kind or per member), and Open311's spec-bound lists.
BARE_ARRAYS = {
    ("get", "/api/v1/health/vitals/trends/"),
    ("get", "/api/v1/notifications/subscriptions/"),
    ("post", "/api/v1/notifications/subscriptions/"),
    ("get", "/api/v1/residents/households/{id}/members/"),
    ("get", "/api/v1/staff/property/bills/arrears/"),
    ("get", "/open311/v2/requests.json"),
    ("post", "/open311/v2/requests.json"),
    ("get", "/open311/v2/requests/{id}.json"),
    ("get", "/open311/v2/services.json"),
}


def _bare_arrays(schema):
    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("200", "201"):
                for media in operation.get("responses", {}).get(code, {}).get("content", {}).values():
                    if resolve(schema, media.get("schema", {})).get("type") == "array":
                        found.add((method, path))
    return found


def test_it_answers_every_list_paginated_but_the_documented_summaries():
    assert _bare_arrays(live_schema()) == BARE_ARRAYS


def test_it_pages_the_enforcement_categories_like_every_catalogue():
    schema = live_schema()
    for path in ("/api/v1/enforcement/categories/", "/api/v1/residents/work-order-categories/"):
        body = resolve(
            schema, schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        )
        assert {"count", "next", "previous", "results"} <= set(body["properties"]), path
