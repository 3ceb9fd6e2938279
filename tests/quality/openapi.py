"""The live OpenAPI schema (what /api/v1/schema/ serves) and how to read it."""

import functools

from django.test import Client

SCHEMA_URL = "/api/v1/schema/?format=json"


@functools.cache
def live_schema() -> dict:
    # The schema view needs no database, so this also works while pytest collects.
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def is_paginated_list(schema: dict, operation: dict) -> bool:
    """A GET whose 200 answer is {count, next, previous, results: [...]}."""
    ok = operation.get("responses", {}).get("200", {})
    body = ok.get("content", {}).get("application/json", {}).get("schema")
    if not body:
        return False
    body = resolve(schema, body)
    results = body.get("properties", {}).get("results")
    return results is not None and resolve(schema, results).get("type") == "array"


def get_operations(schema: dict) -> list[tuple[str, dict]]:
    return [(path, ops["get"]) for path, ops in sorted(schema["paths"].items()) if "get" in ops]


def list_paths(schema: dict | None = None) -> list[str]:
    schema = schema or live_schema()
    return [path for path, op in get_operations(schema) if is_paginated_list(schema, op)]


def detail_paths(schema: dict | None = None) -> list[str]:
    schema = schema or live_schema()
    return [path for path, op in get_operations(schema) if not is_paginated_list(schema, op)]
