"""Who sees what of the alliance: residents (published, their communities' alliances), staff (their
communities and streets), unit contacts (their units only). Anything else is 404 or 403."""

import pytest

from linli.accounts.models import Role
from tests import factories
from tests.participation import party_factories as pf

pytestmark = pytest.mark.django_db


def _ids(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_scoping_matrix(community, other_community, staff, other_staff, as_user):
    neighbour = factories.make_community(street=community.street)  # same street, another community
    street_alliance = pf.make_alliance(street=community.street)
    other_alliance = pf.make_alliance(community=other_community)
    contact, other_contact = factories.make_resident(), factories.make_resident()
    unit = pf.make_unit(street_alliance, contact=contact)
    other_unit = pf.make_unit(other_alliance, contact=other_contact)
    published = pf.make_resource(unit)
    draft = pf.make_resource(unit, publish=False)
    foreign = pf.make_resource(other_unit)
    project_here = pf.make_project(community, street_alliance, staff=staff, resources=[published])
    project_neighbour = pf.make_project(neighbour, street_alliance, staff=pf.staff_of(neighbour), resources=[published])
    project_there = pf.make_project(other_community, other_alliance, staff=other_staff, resources=[foreign])

    resident, neighbour_resident = pf.resident_of(community), pf.resident_of(neighbour)
    outsider = factories.make_resident()

    # residents: published resources of alliances covering their community; their community's projects
    assert _ids(as_user(resident), "/api/v1/participation/resources/") == {published.pk}
    assert _ids(as_user(neighbour_resident), "/api/v1/participation/resources/") == {published.pk}
    assert _ids(as_user(outsider), "/api/v1/participation/resources/") == set()
    assert as_user(resident).get(f"/api/v1/participation/resources/{draft.pk}/").status_code == 404
    assert as_user(resident).get(f"/api/v1/participation/resources/{foreign.pk}/").status_code == 404
    assert _ids(as_user(resident), "/api/v1/participation/projects/") == {project_here.pk}
    assert _ids(as_user(neighbour_resident), "/api/v1/participation/projects/") == {project_neighbour.pk}

    # staff: the street alliance and its resources (any status), their own community's projects
    assert _ids(as_user(staff), "/api/v1/staff/participation/alliances/") == {street_alliance.pk}
    assert _ids(as_user(staff), "/api/v1/staff/participation/resources/") == {published.pk, draft.pk}
    assert _ids(as_user(staff), "/api/v1/staff/participation/projects/") == {project_here.pk}
    assert as_user(staff).get(f"/api/v1/staff/participation/projects/{project_there.pk}/").status_code == 404
    assert (
        as_user(other_staff).post(f"/api/v1/staff/participation/projects/{project_here.pk}/start/").status_code == 404
    )
    need_there = project_there.need_id
    assert as_user(staff).post(f"/api/v1/staff/participation/needs/{need_there}/close/").status_code == 404
    refused = as_user(staff).post(
        "/api/v1/staff/participation/needs/",
        {"alliance": other_alliance.pk, "community": community.pk, "title": "x"},
        format="json",
    )
    assert refused.status_code == 404

    # unit contacts: their unit's resources and the projects using them, nothing else
    assert _ids(as_user(contact), "/api/v1/alliance/resources/") == {published.pk, draft.pk}
    assert _ids(as_user(contact), "/api/v1/alliance/projects/") == {project_here.pk, project_neighbour.pk}
    assert _ids(as_user(other_contact), "/api/v1/alliance/projects/") == {project_there.pk}
    assert as_user(contact).post(f"/api/v1/alliance/resources/{foreign.pk}/withdraw/").status_code == 404
    create_elsewhere = as_user(contact).post(
        "/api/v1/alliance/resources/", {"unit": other_unit.pk, "kind": "goods", "title": "物资"}, format="json"
    )
    assert create_elsewhere.status_code == 404

    # roles: residents and unit contacts are not staff; staff and residents are not unit contacts
    assert as_user(resident).get("/api/v1/staff/participation/projects/").status_code == 403
    assert as_user(contact).get("/api/v1/staff/participation/resources/").status_code == 403
    assert as_user(staff).get("/api/v1/alliance/resources/").status_code == 403
    assert as_user(resident).get("/api/v1/alliance/projects/").status_code == 403


def test_a_unit_contact_edits_and_withdraws_their_resource(as_user):
    community = factories.make_community()
    contact = factories.make_resident()
    resource = pf.make_resource(pf.make_unit(pf.make_alliance(community=community), contact=contact))
    resident = pf.resident_of(community)
    edited = as_user(contact).patch(
        f"/api/v1/alliance/resources/{resource.pk}/",
        {"availability": "寒暑假", "available_from": "2027-01-10", "available_until": "2027-01-01"},
        format="json",
    )
    assert edited.status_code == 400 and "available_until" in edited.json()["fields"]
    edited = as_user(contact).patch(
        f"/api/v1/alliance/resources/{resource.pk}/", {"availability": "寒暑假"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["availability"] == "寒暑假"
    assert _ids(as_user(resident), "/api/v1/participation/resources/") == {resource.pk}
    assert as_user(contact).post(f"/api/v1/alliance/resources/{resource.pk}/withdraw/").json()["status"] == "withdrawn"
    assert _ids(as_user(resident), "/api/v1/participation/resources/") == set()
    factories.grant(contact, Role.RESIDENT, community=community)  # still a contact, now also a resident
    assert as_user(contact).post(f"/api/v1/alliance/resources/{resource.pk}/publish/").json()["status"] == "published"
