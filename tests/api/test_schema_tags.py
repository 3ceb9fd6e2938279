"""Every operation of the schema carries exactly one tag, "<audience> · <topic>", from one place."""

import re

from tests.quality.openapi import live_schema

TAG = re.compile(r"^(居民|员工|商家|设备|公开|平台) · \S.*$")
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations():
    for path, operations in live_schema()["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield method.upper(), path, operation


def test_it_gives_every_operation_exactly_one_audience_and_topic_tag():
    wrong = [
        f"{method} {path}: {operation.get('tags')}"
        for method, path, operation in _operations()
        if len(operation.get("tags", [])) != 1 or not TAG.match(operation["tags"][0])
    ]
    assert not wrong, "\n".join(wrong)


def test_it_takes_the_audience_from_the_url():
    expected = {"/api/v1/staff/": "员工", "/api/v1/merchant/": "商家", "/api/v1/devices/": "设备"}
    for method, path, operation in _operations():
        for prefix, audience in expected.items():
            if path.startswith(prefix):
                assert operation["tags"][0].startswith(f"{audience} · "), f"{method} {path}"


def test_it_tags_the_work_order_endpoints_for_residents_and_staff_alike():
    paths = live_schema()["paths"]
    assert paths["/api/v1/residents/work-orders/"]["post"]["tags"] == ["居民 · 报修"]
    assert paths["/api/v1/staff/work-orders/{id}/assign/"]["post"]["tags"] == ["员工 · 报修"]
    assert paths["/api/v1/staff/work-orders/handlers/"]["get"]["tags"] == ["员工 · 报修"]


def test_it_tags_public_and_platform_callers_apart_from_residents():
    paths = live_schema()["paths"]
    assert paths["/api/v1/auth/wechat/login/"]["post"]["tags"][0].startswith("公开 · ")
    assert paths["/api/v1/communities/"]["get"]["tags"][0].startswith("公开 · ")
    assert paths["/api/v1/payments/wechat/notify/"]["post"]["tags"][0].startswith("平台 · ")
    assert paths["/open311/v2/services.json"]["get"]["tags"] == ["公开 · Open311"]
