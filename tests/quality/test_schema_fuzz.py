"""Fuzz every operation of the live OpenAPI schema with schemathesis, as three personas.

The schema comes from /api/v1/schema/ of the in-process app, so an endpoint that lands later is
fuzzed without anyone adding it here. Each operation is tried as an anonymous client, as a
resident and as a member of the community staff, on top of the demo data (`seed_demo`), with:

* not_a_server_error — any 5xx is a bug to fix, never to exclude;
* status_code_conformance — only documented statuses (linli.api.schema documents the envelope's);
* content_type_conformance and response_schema_conformance — the answer is what the schema says.

A failure prints the reproducing request as a curl command. The run is bounded
(FUZZ_EXAMPLES examples per operation and persona, derandomized) and throttles are lifted so that
they do not hide anything.

Hostile values ride along: a `date` / `date-time` string, in bodies and query parameters alike, is
sometimes one that Python parses but nothing downstream takes (year 1, 9999, just outside 1900–2100,
offsets of almost a day). And every operation that takes JSON gets one body nested 1,000 deep and one
over the size limit (`test_it_refuses_a_hostile_body…`): one request each, no examples.
"""

import io
import os
import zlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.formats import get_default_format_strategies

from linli.accounts.models import Role
from linli.lib.env import env_bool
from linli.regions.models import Community
from tests.quality.openapi import SCHEMA_URL, live_schema
from tests.quality.registry import registry
from tests.support.personas import make_persona
from tests.support.throttles import lift_throttles

# Generated examples per operation and persona: 10 for the README's quick run, 15 in CI's PostgreSQL pass
# (.ci/run), LINLI_FUZZ_EXAMPLES=500 for a deeper run by hand.
FUZZ_EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "10"))
# Schemathesis' coverage phase (boundary and negative values of every parameter and body field, as
# explicit examples) runs in CI's PostgreSQL pass and by hand (LINLI_FUZZ_COVERAGE=1), once per
# operation, as the persona it is for (`test_it_survives_the_boundary_cases`). The quick run leaves it
# out: it is built while collecting and costs about twice the fuzzing itself.
FUZZ_COVERAGE = env_bool("LINLI_FUZZ_COVERAGE", False)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


HOSTILE_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]
HOSTILE_MOMENTS = [
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-01:00",
    "1899-12-31T23:59:59",
    "2101-01-01T00:00:00Z",
    "2100-12-31T23:59:59-15:59",
    "2026-06-01T12:00:00+23:59",
    "2026-06-01T12:00:00-23:59",
]


def _sometimes(hostile: list[str], usual: st.SearchStrategy) -> st.SearchStrategy:
    # Either branch: Hypothesis picks the hostile values early and often, and still tries ordinary dates.
    return usual | st.sampled_from(hostile)


_FORMATS = get_default_format_strategies()
schemathesis.openapi.format("date", _sometimes(HOSTILE_DATES, _FORMATS["date"]))
schemathesis.openapi.format("date-time", _sometimes(HOSTILE_MOMENTS, _FORMATS["date-time"]))


class InProcessWSGI:
    """Django's WSGI handler, usable inside a test's transaction.

    Django closes "old" database connections when a request starts and ends; in a test that
    would close the connection holding the test transaction (the seeded data). django.test.Client
    avoids it the same way: by disconnecting those two receivers around the request.
    """

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, InProcessWSGI())
schema.config.phases.coverage.enabled = False


class Fuzzing:
    """One persona in the demo world, plus real path parameters for detail endpoints."""

    def __init__(self, persona_name: str):
        community = Community.objects.get(code="baiyun")
        self.persona = make_persona(persona_name, community)
        self.persona_name = persona_name
        self._path_params: dict[str, dict] = {}

    def headers_for(self, case) -> dict:
        if (case.method.upper(), case.path) in registry().fuzz_throwaway_user and self.persona.user is not None:
            return make_persona(self.persona_name, self.persona.community).headers
        return self.persona.headers

    def real_path_params(self, path: str) -> dict:
        """Path parameters of objects that exist, made once per operation by a budget maker.

        The maker registered for this path, else for the longest registered path it extends
        (POST /events/{id}/registrations/ → GET /events/{id}/), in DETAIL_BUDGETS.
        """
        if path not in self._path_params:
            budgets = registry().detail_budgets
            candidates = [p for p in budgets if "{" in p and path.startswith(p.rstrip("/"))]
            made = {}
            if candidates:
                persona_name, maker, _ = budgets[max(candidates, key=len)]
                persona = (
                    self.persona
                    if self.persona.user is not None
                    else make_persona(persona_name, self.persona.community)
                )
                made = maker(persona) or {}
            self._path_params[path] = made
        return self._path_params[path]

    def run(self, case):
        if case.path_parameters:
            # About half of the examples aim at a real object, the others at whatever was generated.
            real = self.real_path_params(case.path)
            for name, value in real.items():
                if name in case.path_parameters and _aim_at_real(case.path_parameters[name]):
                    case.path_parameters[name] = value
        case.call_and_validate(headers=self.headers_for(case), checks=CHECKS)


def _aim_at_real(generated) -> bool:
    """Deterministic in the generated value, so that Hypothesis can replay and shrink a failure."""
    if isinstance(generated, bool):
        return False
    if isinstance(generated, int):
        return generated % 2 == 0
    if isinstance(generated, str):
        return zlib.crc32(generated.encode("utf-8", "surrogatepass")) % 2 == 0
    return False


@pytest.fixture
def unthrottled(monkeypatch, settings):
    lift_throttles(monkeypatch)
    settings.LOGIN_LOCKOUT_ACCOUNT_FAILURES = settings.LOGIN_LOCKOUT_IP_FAILURES = 10**9
    # Password checks with the production hasher cost ~0.3 s each; the fuzzer makes hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_HYPOTHESIS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the whole module (seeding takes seconds; there are hundreds of
    operation × persona tests). Each test's own transaction nests inside this one as a savepoint,
    so what a test writes is still rolled back before the next; this one is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        # Check the seed's deferred foreign keys now, in this transaction. Django checks them at the end
        # of every test, inside the test's savepoint; PostgreSQL forgets that a check fired when the
        # savepoint is rolled back, so each test would check the whole seed again (~0.1 s each).
        connection.check_constraints()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def as_anonymous(demo_world, db, unthrottled):
    return Fuzzing("anonymous")


@pytest.fixture
def as_resident(demo_world, db, unthrottled):
    return Fuzzing("resident")


@pytest.fixture
def as_staff(demo_world, db, unthrottled):
    fuzzing = Fuzzing("staff")
    assert fuzzing.persona.user.memberships.filter(role=Role.COMMUNITY_STAFF).exists()
    return fuzzing


@schema.parametrize()
@_HYPOTHESIS
def test_it_survives_fuzzing_as_anonymous(case, as_anonymous):
    as_anonymous.run(case)


@schema.parametrize()
@_HYPOTHESIS
def test_it_survives_fuzzing_as_a_resident(case, as_resident):
    as_resident.run(case)


@schema.parametrize()
@_HYPOTHESIS
def test_it_survives_fuzzing_as_staff(case, as_staff):
    as_staff.run(case)


# --- boundary cases (CI's PostgreSQL pass) ------------------------------------------------------------


def persona_of(path: str, method: str) -> str:
    """Who an operation is for: anonymous where the schema lets anyone call it, staff under /staff/,
    else a resident. Its boundary cases are tried as that persona: as anyone else most of them would
    only meet the 401 or 403 that the fuzzing above already covers."""
    operation = live_schema()["paths"][path][method.lower()]
    security = operation.get("security", live_schema().get("security"))
    if security is None or {} in security:
        return "anonymous"
    return "staff" if path.startswith("/api/v1/staff/") else "resident"


if FUZZ_COVERAGE:  # built while collecting: only when asked for
    boundaries = schemathesis.openapi.from_wsgi(SCHEMA_URL, InProcessWSGI())
    boundaries.config.phases.examples.enabled = False
    boundaries.config.phases.fuzzing.enabled = False
    boundaries.config.phases.coverage.enabled = True

    @pytest.fixture
    def as_the_operations_persona(demo_world, db, unthrottled):
        """`as_the_operations_persona(case)`: its persona's Fuzzing, made once per test as the fixtures
        above are (with the objects its path needs), not once per boundary case."""
        made: dict[str, Fuzzing] = {}

        def fuzzing(case) -> Fuzzing:
            # (case.method may be an undocumented one the phase tries: the operation says whose it is)
            name = persona_of(case.operation.path, case.operation.method)
            if name not in made:
                made[name] = Fuzzing(name)
            return made[name]

        return fuzzing

    @boundaries.parametrize()
    @_HYPOTHESIS
    def test_it_survives_the_boundary_cases(case, as_the_operations_persona):
        as_the_operations_persona(case).run(case)


# --- hostile bodies -------------------------------------------------------------------------------


def _json_operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, operations in sorted(live_schema()["paths"].items())
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def _hostile_bodies(limit: int) -> dict[str, str]:
    return {
        "nested 1,000 deep": '{"a":' * 1000 + "1" + "}" * 1000,
        "over the size limit": '{"a": "' + "x" * limit + '"}',
    }


@pytest.mark.parametrize(("method", "path"), _json_operations())
def test_it_refuses_a_hostile_body_with_a_documented_4xx_in_the_envelope(as_resident, settings, method, path):
    documented = live_schema()["paths"][path][method.lower()]["responses"]
    real = as_resident.real_path_params(path)
    url = path.format_map(_AnyId(real))
    headers = {f"HTTP_{k.upper()}": v for k, v in as_resident.persona.headers.items()}
    for name, body in _hostile_bodies(settings.API_JSON_MAX_BYTES).items():
        response = Client().generic(method, url, body, content_type="application/json", **headers)

        assert 400 <= response.status_code < 500, f"{name}: {response.status_code} {response.content[:300]!r}"
        assert str(response.status_code) in documented, f"{name}: undocumented {response.status_code}"
        answer = response.json()
        if path.startswith("/open311/"):  # the spec's error list
            assert {"code", "description"} <= set(answer[0]), f"{name}: {answer}"
        else:
            assert {"code", "message"} <= set(answer), f"{name}: {answer}"


class _AnyId(dict):
    """Path parameters: a real object's where the budgets can make one, else 1."""

    def __missing__(self, key):
        return 1
