"""The gates themselves: each one fails on the fault it exists for (a gate that cannot fail is no gate)."""

import django_filters
import pytest
import schemathesis
from _pytest.outcomes import Failed
from django.db import connection
from django.urls import path
from rest_framework import generics, parsers, serializers
from schemathesis.core.failures import FailureGroup

from linli.api.serializers import ModelSerializer
from linli.regions.models import Community
from tests import factories
from tests.quality.budgets import community_of, make_communities
from tests.quality.query_budget import (
    assert_get_within_budget,
    assert_list_is_flat,
    assert_num_queries,
    count_queries,
)
from tests.quality.test_input_bounds import collect, unbounded_fields, unbounded_filters, unbounded_parsers
from tests.quality.test_schema_fuzz import CHECKS, InProcessWSGI

pytestmark = pytest.mark.django_db

CRASH = "/api/v1/test/crash/"


def _operation(path: str, spec: dict):
    raw = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {path: {"get": spec}}}
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = InProcessWSGI()
    return schema[path]["GET"]


@pytest.mark.urls("tests.api.urls")
def test_the_fuzzer_fails_on_a_server_error_and_prints_the_request():
    operation = _operation(CRASH, {"responses": {"200": {"description": "ok"}}})
    with pytest.raises(FailureGroup) as failure:
        operation.Case().call_and_validate(checks=CHECKS)
    report = str(failure.value)
    assert "Server error" in report
    assert f"curl -X GET --insecure http://localhost{CRASH}" in report


def test_the_fuzzer_fails_on_an_undocumented_status():
    path = "/api/v1/communities/{id}/"
    operation = _operation(
        path,
        {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok"}},  # the 404 is not documented here
        },
    )
    with pytest.raises(FailureGroup, match="Undocumented status code"):
        operation.Case(path_parameters={"id": 999999}).call_and_validate(checks=CHECKS)


def test_the_query_budget_fails_with_the_sql_that_ran():
    factories.make_community(name="回龙社区")
    with pytest.raises(Failed) as failure, assert_num_queries(1, label="two lookups"):
        list(Community.objects.all())
        list(Community.objects.filter(name="回龙社区"))
    assert "expected 1 queries, ran 2" in str(failure.value)
    assert str(failure.value).count("SELECT") == 2


def test_counting_sees_every_statement():
    with count_queries() as queries, connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert len(queries) == 1


@pytest.mark.urls("tests.quality.urls")
def test_the_list_gate_fails_on_an_n_plus_one():
    with pytest.raises(Failed, match=r"queries for 3 rows but \d+ for 30"):
        assert_list_is_flat("/api/v1/test/n-plus-one/", "anonymous", make_communities)


def test_the_list_gate_passes_the_same_list_done_right():
    assert_list_is_flat("/api/v1/communities/", "anonymous", make_communities)


def test_the_list_gate_fails_when_the_maker_makes_nothing_visible():
    with pytest.raises(AssertionError, match="the maker's rows are not in"):
        assert_list_is_flat("/api/v1/communities/", "anonymous", lambda persona, n: None)


def test_the_detail_gate_fails_above_and_below_the_budget():
    for wrong in (0, 2):
        with pytest.raises(Failed, match=rf"budget {wrong} queries \(warm cache\), ran 1"):
            assert_get_within_budget("/api/v1/communities/{id}/", "anonymous", community_of, wrong)


class DRFCommunity(serializers.ModelSerializer):  # DRF's own: model date-times unbounded
    class Meta:
        model = Community
        fields = ["id", "created_at"]


class BoundedCommunity(ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "created_at"]


class Since(serializers.Serializer):
    since = serializers.DateField()
    community = BoundedCommunity()
    communities = DRFCommunity(many=True)


class SinceFilterSet(django_filters.FilterSet):
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    period = django_filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Community
        fields = ["since", "period"]


class Unbounded(generics.ListCreateAPIView):
    schema_topic = "测试"
    queryset = Community.objects.all()
    serializer_class = Since
    filterset_class = SinceFilterSet
    parser_classes = [parsers.JSONParser]


def test_the_input_gate_names_each_unbounded_date_filter_and_parser():
    inputs = collect([path("api/v1/test/unbounded/", Unbounded.as_view())])

    where = "GET /api/v1/test/unbounded/"
    assert unbounded_fields(inputs) == [
        f"{where}: Since.communities.*.created_at is rest_framework.fields.DateTimeField",
        f"{where}: Since.since is rest_framework.fields.DateField",
    ]
    assert unbounded_filters(inputs) == [
        f"{where}: SinceFilterSet.period reads DateField",
        f"{where}: SinceFilterSet.since reads DateField",
    ]
    assert unbounded_parsers(inputs) == [f"{where}: rest_framework.parsers.JSONParser"]
