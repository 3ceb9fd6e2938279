"""The platform's input limits at their edges: JSON nesting (linli.api.parsers) and the 1900–2100 date range
(linli.api.fields, linli.api.filters). tests/security/ has the requests that were 500s."""

import pytest
from django import forms
from rest_framework import serializers

from linli.api.fields import DateField, DateTimeField
from linli.api.filters import DayField
from linli.api.parsers import PayloadTooDeep, loads, nesting_depth
from linli.api.serializers import ModelSerializer
from linli.regions.models import Community

pytestmark = pytest.mark.django_db


def nested(levels: int) -> str:
    return '{"display_name": "张大爷", "x":' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


def test_it_parses_a_body_nested_exactly_to_the_limit(as_user, resident):
    response = as_user(resident).generic("PATCH", "/api/v1/me/", nested(32), content_type="application/json")

    assert response.status_code == 200, response.content


def test_it_refuses_one_level_more(as_user, resident):
    response = as_user(resident).generic("PATCH", "/api/v1/me/", nested(33), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "payload_too_deep"


def test_brackets_inside_strings_do_not_count():
    text = '{"note": "[[[{{{\\"[[[", "list": [1, [2]]}'

    assert nesting_depth(text) == 3
    assert loads(text, limit=3) == {"note": '[[[{{{"[[[', "list": [1, [2]]}


def test_an_unclosed_string_hides_the_brackets_after_it():
    assert nesting_depth('[1, "abc [[[') == 1
    assert nesting_depth('["a\\\\", [[]]]') == 3  # an escaped backslash closes nothing


def test_it_answers_a_body_of_escaped_quotes_at_once(api):
    # `"\"\"\"…` never closes its first string: a scan that looked for a closing quote from every quote
    # took minutes for 160 KB (quadratic) before login. Just under the 1 MB limit, it is plain invalid JSON.
    body = '{"username": "' + '\\"' * 300_000

    response = api.generic("POST", "/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_a_body_too_deep_is_also_invalid_json_to_code_that_asks():
    with pytest.raises(ValueError, match="嵌套不能超过 2 层") as refused:
        loads(b'{"a": {"b": [1]}}', limit=2)

    assert isinstance(refused.value, PayloadTooDeep)


@pytest.mark.parametrize("value", ["1900-01-01T00:00:00", "2100-12-31T23:59:59+08:00", "2026-06-01T12:00:00+23:59"])
def test_a_date_time_field_takes_the_edges_of_the_range(value):
    assert DateTimeField().run_validation(value).tzinfo is not None


@pytest.mark.parametrize(
    "value", ["1899-12-31T23:59:59", "2101-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"]
)
def test_a_date_time_field_refuses_moments_outside_it(value):
    with pytest.raises(serializers.ValidationError, match="日期须在 1900 至 2100 年之间"):
        DateTimeField().run_validation(value)


@pytest.mark.parametrize(("value", "ok"), [("1900-01-01", True), ("2100-12-31", True), ("1899-12-31", False)])
def test_a_date_field_and_a_date_filter_take_the_same_range(value, ok):
    if ok:
        assert str(DateField().run_validation(value)) == value
        assert str(DayField().clean(value)) == value
        return
    with pytest.raises(serializers.ValidationError):
        DateField().run_validation(value)
    with pytest.raises(forms.ValidationError):
        DayField().clean(value)


def test_the_base_model_serializer_bounds_model_dates():
    class CommunitySerializer(ModelSerializer):
        class Meta:
            model = Community
            fields = ["created_at"]

    assert isinstance(CommunitySerializer().fields["created_at"], DateTimeField)
