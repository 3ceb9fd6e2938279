"""The API's URL table grouped by leading path segments, so resolving a request tests a handful of
prefixes instead of every pattern of every app.

Each app's `api/urls.py` lists full paths ("staff/enforcement/reports/") and linli/urls.py used to join
them with `path("", include(app))`. Django then tries the apps in turn and, for every app that does
not match, copies all its patterns into the `tried` list it keeps for the debug 404 page: resolving
cost 0.06 ms for /api/v1/me/ but 0.5 ms for /api/v1/events/ and 0.6 ms for
/api/v1/staff/enforcement/reports/ — a tenth of a list's CPU budget, growing with every app added
behind them. `grouped()` regroups the same patterns under their first segments
(`staff/` → `enforcement/` → the rest), keeping each app's urls.py as it is, their names (so
`reverse()` is unchanged) and their order within a group; different first segments cannot match the
same path, so the order across groups does not matter.
"""

import re

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, include, path
from django.urls.resolvers import RegexPattern, RoutePattern

# A group with more patterns than this is split again by its next segment.
SPLIT_ABOVE = 12
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def grouped(patterns: list, *, depth: int = 2) -> list:
    """`patterns` (URLPatterns whose routes start with a literal segment) grouped under `path("<segment>/", …)`."""
    groups: dict[str, list[URLPattern]] = {}
    for pattern in patterns:
        segment, rest = _split(pattern)
        groups.setdefault(segment, []).append(rest)
    table = []
    for segment, members in groups.items():
        if depth > 1 and len(members) > SPLIT_ABOVE and all(_splittable(m) for m in members):
            members = grouped(members, depth=depth - 1)
        table.append(path(f"{segment}/", include(members)))
    return table


def flatten(modules: list[str]) -> list[URLPattern]:
    """The URLPatterns of the given urls modules, in order (what `path("", include(m))` would try)."""
    flat = []
    for module in modules:
        for pattern in include(module)[0].urlpatterns:
            if not isinstance(pattern, URLPattern):
                raise ImproperlyConfigured(f"{module}: grouped() takes plain paths, not {pattern!r}")
            flat.append(pattern)
    return flat


def _route(pattern: URLPattern) -> tuple[str, bool]:
    if isinstance(pattern.pattern, RoutePattern):
        return pattern.pattern._route, False
    return pattern.pattern._regex.removeprefix("^"), True


def _splittable(pattern: URLPattern) -> bool:
    route, _ = _route(pattern)
    segment, slash, _rest = route.partition("/")
    return bool(slash) and bool(_SEGMENT.fullmatch(segment))


def _split(pattern: URLPattern) -> tuple[str, URLPattern]:
    if not isinstance(pattern, URLPattern) or not _splittable(pattern):
        raise ImproperlyConfigured(f"{pattern!r}: an API path must start with a literal segment and a slash")
    route, is_regex = _route(pattern)
    segment, _, rest = route.partition("/")
    name = pattern.pattern.name
    shorter = (
        RegexPattern(f"^{rest}", name=name, is_endpoint=True)
        if is_regex
        else RoutePattern(rest, name=name, is_endpoint=True)
    )
    return segment, URLPattern(shorter, pattern.callback, pattern.default_args, pattern.name)
