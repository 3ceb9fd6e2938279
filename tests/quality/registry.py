"""What each app tells the whole-API quality gates about its endpoints.

Any test package may ship `tests/<app>/budgets.py` with some of these (all optional):

    # Every paginated GET list in the schema needs a data maker: `maker(persona, n)` creates n
    # more rows that `persona` sees in that list (the query-budget test calls it with 3, then 27,
    # and compares the counts with a cold and with a warm cache: linli/lib/cache.py).
    LIST_DATA = {"/api/v1/communities/": ("anonymous", make_communities)}

    # Every other GET needs an explicit query budget: `maker(persona)` creates one object the
    # persona may see and returns the path parameters ({} when the path has none). The budget
    # may be a function returning the number, for one composed of other registrations, or
    # `(cold, warm)` for an endpoint that shares its answer in the cache.
    DETAIL_BUDGETS = {"/api/v1/communities/{id}/": ("anonymous", make_community, 1)}

    # More personas than the built-in anonymous / resident / staff: fn(community) -> Persona.
    PERSONAS = {"merchant": make_merchant}

    # Operations that use up the persona (account deletion, …): the fuzzer gives every example
    # a throwaway user of the persona's kind instead of the shared one.
    FUZZ_THROWAWAY_USER = {("POST", "/api/v1/me/delete/")}

    # For each app label with a privacy handler (linli.accounts.privacy): `fn(user)` gives the
    # user some data in that app and returns strings that must be gone from the export once
    # the account is deleted; EXPORT_QUERIES is what the app's export(user) costs with that
    # data (tests/accounts/test_privacy.py). GET /api/v1/me/export/ is budgeted as their sum.
    PRIVACY_DATA = {"uploads": give_uploads}
    EXPORT_QUERIES = {"uploads": 1}

They are collected automatically; tests/quality fails when an endpoint of the schema has none.
"""

import functools
import pkgutil
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

import tests


@dataclass
class Registry:
    list_data: dict = field(default_factory=dict)
    detail_budgets: dict = field(default_factory=dict)
    personas: dict = field(default_factory=dict)
    fuzz_throwaway_user: set = field(default_factory=set)
    privacy_data: dict = field(default_factory=dict)
    export_queries: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)  # path → module that registered it


def _merge(target: dict, items: dict, module: str, sources: dict) -> None:
    for key, value in items.items():
        if key in target:
            raise ValueError(f"{key} is registered twice: in {sources[key]} and in {module}")
        target[key] = value
        sources[key] = module


@functools.cache
def registry() -> Registry:
    found = Registry()
    for info in sorted(pkgutil.iter_modules(tests.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        name = f"tests.{info.name}.budgets"
        if find_spec(name) is None:
            continue
        module = import_module(name)
        _merge(found.list_data, getattr(module, "LIST_DATA", {}), name, found.sources)
        _merge(found.detail_budgets, getattr(module, "DETAIL_BUDGETS", {}), name, found.sources)
        _merge(found.personas, getattr(module, "PERSONAS", {}), name, {})
        found.fuzz_throwaway_user |= set(getattr(module, "FUZZ_THROWAWAY_USER", set()))
        _merge(found.privacy_data, getattr(module, "PRIVACY_DATA", {}), name, {})
        _merge(found.export_queries, getattr(module, "EXPORT_QUERIES", {}), name, {})
    return found
