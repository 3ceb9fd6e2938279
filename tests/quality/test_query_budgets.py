"""Query budgets for every GET endpoint of the live schema.

* Every paginated list: its query count with 30 visible rows equals the one with 3 (no N+1).
* Every other GET: exactly its registered budget.

Endpoints are found in the schema, so a new endpoint fails here until its app registers a data
maker or a budget in `tests/<app>/budgets.py` (format: tests/quality/registry.py).
"""

import pytest

from tests.quality.openapi import detail_paths, list_paths, live_schema
from tests.quality.query_budget import assert_get_within_budget, assert_list_is_flat
from tests.quality.registry import registry

pytestmark = pytest.mark.django_db


def _missing(path: str, what: str) -> str:
    return (
        f"{path} is in the API schema but has no {what}: register it in tests/<app>/budgets.py "
        "(see tests/quality/registry.py)"
    )


@pytest.mark.parametrize("path", list_paths())
def test_it_keeps_list_queries_flat_as_the_data_grows(path):
    entry = registry().list_data.get(path)
    if entry is None:
        pytest.fail(_missing(path, "LIST_DATA maker"), pytrace=False)
    persona_name, maker = entry
    assert_list_is_flat(path, persona_name, maker)


@pytest.mark.parametrize("path", detail_paths())
def test_it_keeps_every_other_get_within_its_budget(path):
    entry = registry().detail_budgets.get(path)
    if entry is None:
        pytest.fail(_missing(path, "DETAIL_BUDGETS entry"), pytrace=False)
    persona_name, maker, budget = entry
    assert_get_within_budget(path, persona_name, maker, budget)


def test_every_registration_names_an_endpoint_of_the_schema():
    schema_paths = set(live_schema()["paths"])
    found = registry()
    stale = sorted(
        f"{path} (in {found.sources[path]})"
        for path in [*found.list_data, *found.detail_budgets]
        if path not in schema_paths
    )
    assert not stale, f"registered but not in the schema (renamed or removed?): {stale}"


def test_it_tells_lists_from_other_gets():
    assert "/api/v1/communities/" in list_paths()
    assert "/api/v1/communities/{id}/" in detail_paths()
    assert "/api/v1/me/" in detail_paths()
