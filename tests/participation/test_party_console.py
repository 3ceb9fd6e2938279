"""The console (红色礼享家): staff see their communities' party members and their street's alliance,
confirm members, give a unit's contact their role and create a project — through the services."""

import pytest
from django.test import Client

from linli.accounts.models import Membership, Role
from participation.models import Need, PartyMember, Project
from tests import factories
from tests.participation import party_factories as pf

pytestmark = pytest.mark.django_db


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_opens_and_shows_only_my_rows(community, other_community, staff, other_staff):
    mine = pf.make_member(community)
    theirs = pf.make_member(other_community)
    alliance = pf.make_alliance(street=community.street)
    pf.make_project(community, alliance, staff=staff)
    for model in ("partymember", "partyreport", "alliance", "allianceunit", "resource", "need", "project"):
        assert console(staff).get(f"/admin/participation/{model}/").status_code == 200, model
    assert console(staff).get(f"/admin/participation/partymember/{mine.pk}/change/").status_code == 200
    assert console(staff).get(f"/admin/participation/partymember/{theirs.pk}/change/").status_code == 302
    assert console(other_staff).get(f"/admin/participation/alliance/{alliance.pk}/change/").status_code == 302


def test_staff_confirm_members_with_the_action(community, staff):
    member = pf.make_member(community)
    response = console(staff).post(
        "/admin/participation/partymember/", {"action": "confirm_selected", "_selected_action": [member.pk]}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == PartyMember.Status.CONFIRMED
    assert member.history.last().actor == staff


def test_a_units_page_gives_its_contact_the_scoped_role(community, staff):
    unit = pf.make_unit(pf.make_alliance(community=community))
    contact = factories.make_user(username="teacher_zhou")
    response = console(staff).post(
        f"/admin/participation/allianceunit/{unit.pk}/change/",
        {
            "alliance": unit.alliance_id,
            "name": unit.name,
            "kind": unit.kind,
            "address": "",
            "contact_name": "周老师",
            "contact_phone": "13905701001",
            "joined_on": "2026-01-01",
            "is_active": "on",
            "contact_username": "teacher_zhou",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=contact, role=Role.ALLIANCE_MEMBER)
    assert membership.scope == unit


def test_a_project_created_in_the_console_goes_through_the_service(community, staff):
    alliance = pf.make_alliance(community=community)
    resource = pf.make_resource(pf.make_unit(alliance))
    need = Need.objects.create(alliance=alliance, community=community, title="健康义诊")
    response = console(staff).post(
        "/admin/participation/project/add/",
        {
            "need": need.pk,
            "resources": [resource.pk],
            "title": "义诊进小区",
            "plan": "每月一次",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "outcome": "",
            "beneficiaries": "",
            "history-TOTAL_FORMS": "0",
            "history-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(title="义诊进小区")
    assert project.community == community and list(project.resources.all()) == [resource]
    assert [h.action for h in project.history.all()] == ["create"]
    need.refresh_from_db()
    assert need.status == Need.Status.MATCHED
