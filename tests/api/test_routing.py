"""The API table grouped by path prefix (linli/api/routing.py) resolves every path to the view the flat
table would, and refuses a pattern it cannot group."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path, re_path, resolve, reverse
from django.urls.resolvers import RoutePattern

from linli.api.routing import grouped
from linli.urls import api_v1

GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def api_patterns(table=None, prefix=""):
    for entry in api_v1 if table is None else table:
        route = entry.pattern._route if isinstance(entry.pattern, RoutePattern) else entry.pattern._regex
        route = prefix + route.removeprefix("^").removesuffix("$")
        if isinstance(entry, URLPattern):
            yield route, entry
        else:
            yield from api_patterns(entry.url_patterns, route)


def concrete(route: str) -> str:
    return CONVERTER.sub("7", GROUP.sub("7", route))


def test_every_api_path_resolves_to_its_own_view_and_reverses_back():
    seen = 0
    for route, pattern in api_patterns():
        match = resolve(f"/api/v1/{concrete(route)}")
        assert match.func == pattern.callback, route
        if pattern.name:
            assert reverse(pattern.name, kwargs=match.kwargs) == f"/api/v1/{concrete(route)}"
        seen += 1
    assert seen > 200


def test_it_refuses_a_path_that_does_not_start_with_a_literal_segment():
    with pytest.raises(ImproperlyConfigured):
        grouped([re_path(r"^(?P<pk>\d+)/$", lambda request: None)])
    with pytest.raises(ImproperlyConfigured):
        grouped([path("<int:pk>/", lambda request: None)])
