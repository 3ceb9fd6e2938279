"""The three lists end to end: a unit contact publishes a resource, staff publish a need and match it
into a project that runs planned → in progress → completed with an outcome report."""

import pytest

from linli.accounts.models import Role
from participation.models import Need
from tests import factories
from tests.participation import party_factories as pf

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/participation"


def test_a_need_matched_with_resources_runs_to_a_completed_project(community, staff, as_user):
    alliance = pf.make_alliance(street=community.street)
    contact = factories.make_resident()
    unit = pf.make_unit(alliance, contact=contact)
    offered = as_user(contact).post(
        "/api/v1/alliance/resources/",
        {"kind": "volunteers", "title": "学生志愿服务队", "availability": "每周六上午", "quantity": "15 名"},
        format="json",
    )
    assert offered.status_code == 201, offered.content
    assert offered.json()["unit"]["id"] == unit.pk and offered.json()["status"] == "published"

    need = as_user(staff).post(
        f"{STAFF}/needs/",
        {"alliance": alliance.pk, "community": community.pk, "title": "老年人健康义诊", "kind": "professional"},
        format="json",
    )
    assert need.status_code == 201, need.content
    project = as_user(staff).post(
        f"{STAFF}/projects/",
        {
            "need": need.json()["id"],
            "resources": [offered.json()["id"]],
            "title": "健康义诊进小区",
            "plan": "每月第二个周四上午",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
        },
        format="json",
    )
    assert project.status_code == 201, project.content
    project_id = project.json()["id"]
    assert project.json()["status"] == "planned"
    assert Need.objects.get(pk=need.json()["id"]).status == Need.Status.MATCHED

    too_early = as_user(staff).post(f"{STAFF}/projects/{project_id}/complete/", {"outcome": "完成"}, format="json")
    assert too_early.status_code == 409 and too_early.json()["code"] == "invalid_transition"
    assert as_user(staff).post(f"{STAFF}/projects/{project_id}/start/").json()["status"] == "in_progress"
    done = as_user(staff).post(
        f"{STAFF}/projects/{project_id}/complete/",
        {"outcome": "义诊 120 人次，发现高血压未控制 9 人并转诊。", "beneficiaries": 120},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed" and done.json()["beneficiaries"] == 120
    assert [h["action"] for h in done.json()["history"]] == ["create", "start", "complete"]

    # The unit contact sees the project using their resource.
    seen = as_user(contact).get("/api/v1/alliance/projects/").json()
    assert [p["id"] for p in seen["results"]] == [project_id]


def test_it_refuses_resources_of_another_alliance_or_withdrawn(community, staff, as_user):
    alliance = pf.make_alliance(community=community)
    elsewhere = pf.make_alliance(street=community.street)
    foreign = pf.make_resource(pf.make_unit(elsewhere))
    withdrawn = pf.make_resource(pf.make_unit(alliance), publish=False)
    need = (
        as_user(staff)
        .post(f"{STAFF}/needs/", {"alliance": alliance.pk, "community": community.pk, "title": "场地"}, format="json")
        .json()
    )
    for resource in (foreign, withdrawn):
        response = as_user(staff).post(
            f"{STAFF}/projects/",
            {"need": need["id"], "resources": [resource.pk], "starts_on": "2026-12-01", "ends_on": "2026-12-02"},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert "resources" in response.json()["fields"]


def test_a_cancelled_project_leaves_residents_lists(community, staff, as_user):
    alliance = pf.make_alliance(community=community)
    project = pf.make_project(community, alliance, staff=staff)
    resident = pf.resident_of(community)
    assert as_user(resident).get("/api/v1/participation/projects/").json()["count"] == 1
    cancelled = as_user(staff).post(f"{STAFF}/projects/{project.pk}/cancel/", {"reason": "场地冲突"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    assert as_user(resident).get("/api/v1/participation/projects/").json()["count"] == 0
    factories.grant(resident, Role.COMMUNITY_STAFF, community=community)  # staff still see it
    assert as_user(resident).get(f"{STAFF}/projects/").json()["count"] == 1
