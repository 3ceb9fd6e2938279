"""Query counting for tests: exact budgets whose failure prints the SQL that ran.

with assert_num_queries(2, label="GET /api/v1/me/"):   # 1 token user, 1 memberships
    client.get("/api/v1/me/")

with count_queries() as queries:
    client.get(url)
assert len(queries) == ..., format_queries(queries)
"""

from contextlib import contextmanager

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext


class CapturedQueries(CaptureQueriesContext):
    @property
    def sql(self) -> list[str]:
        return [query["sql"] for query in self.captured_queries]


@contextmanager
def count_queries(using: str = "default"):
    with CapturedQueries(connections[using]) as captured:
        yield captured


def format_queries(queries: CapturedQueries | list[str]) -> str:
    sql = queries.sql if isinstance(queries, CapturedQueries) else list(queries)
    return "\n".join(f"  {index}. {statement}" for index, statement in enumerate(sql, 1))


@contextmanager
def assert_num_queries(expected: int, *, label: str = "", using: str = "default"):
    """Exactly `expected` queries inside the block, or a failure listing every statement."""
    with count_queries(using) as captured:
        yield captured
    if len(captured) != expected:
        pytest.fail(
            f"{label or 'block'}: expected {expected} queries, ran {len(captured)}:\n{format_queries(captured)}",
            pytrace=False,
        )


PAGE = {"page_size": 50}
SMALL, LARGE = 3, 30


def _cold_and_warm(client, url):
    """The response and the queries of a request with nothing in the shared cache (linli/lib/cache.py:
    cached lists rebuild their page) and of the same request again (served from it)."""
    from django.core.cache import cache

    cache.clear()
    with count_queries() as cold:
        response = client.get(url, PAGE)
    assert response.status_code == 200, response.content[:500]
    with count_queries() as warm:
        again = client.get(url, PAGE)
    assert again.status_code == 200, again.content[:500]
    return response, cold, warm


def assert_list_is_flat(path: str, persona_name: str, maker) -> None:
    """The list at `path` runs as many queries with LARGE visible rows as with SMALL ones, both with
    a cold shared cache and with a warm one (a list that caches its page needs fewer when warm).

    `maker(persona, n)` creates n more rows the persona sees there, and returns the path
    parameters of a nested list (the same every time) or None.
    """
    from tests.support.personas import make_persona

    persona = make_persona(persona_name)
    client = persona.client()
    params = maker(persona, SMALL) or {}
    url = path.format(**params)
    client.get(url, PAGE)  # warm caches (content types, …) so both measurements start alike
    first, small, small_warm = _cold_and_warm(client, url)

    assert (maker(persona, LARGE - SMALL) or {}) == params, "a maker must return the same path parameters"
    second, large, large_warm = _cold_and_warm(client, url)

    shown = len(second.json()["results"]) - len(first.json()["results"])
    assert shown >= LARGE - SMALL, f"the maker's rows are not in {path} for {persona_name} ({shown} more shown)"
    for state, few, many in (("cold", small, large), ("warm", small_warm, large_warm)):
        if len(many) != len(few):
            pytest.fail(
                f"{path} ({state} cache): {len(few)} queries for {SMALL} rows but {len(many)} for {LARGE} "
                f"(N+1?)\nwith {LARGE} rows:\n{format_queries(many)}",
                pytrace=False,
            )


def assert_get_within_budget(path: str, persona_name: str, maker, budget) -> None:
    """GET `path` (parameters from `maker(persona)`) as the persona runs exactly `budget` queries.

    `budget` (or what it returns when callable) is a number, or `(cold, warm)` for an endpoint that
    shares its answer in the cache: `cold` with nothing in the cache, `warm` when it is there.
    """
    from django.core.cache import cache

    from tests.support.personas import make_persona

    persona = make_persona(persona_name)
    client = persona.client()
    url = path.format(**(maker(persona) or {}))
    client.get(url)  # warm caches
    budget = budget() if callable(budget) else budget
    cold, warm = budget if isinstance(budget, tuple) else (None, budget)
    runs = [("warm", warm)]
    if cold is not None:
        cache.clear()
        runs.insert(0, ("cold", cold))
    for state, expected in runs:
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        if len(queries) != expected:
            pytest.fail(
                f"{path}: budget {expected} queries ({state} cache), ran {len(queries)}:\n{format_queries(queries)}\n"
                "Fewer is good news: lower the budget in its budgets.py. More: fix the N+1 or justify a higher one.",
                pytrace=False,
            )
