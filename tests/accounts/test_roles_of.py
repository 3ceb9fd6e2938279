"""One membership load per request (linli.accounts.selectors.roles_of), reused by the permission
checks and the views' scoping, and never stale after a membership changes."""

import threading

from django.core.signals import request_started
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.accounts.models import Membership, Role
from linli.accounts.selectors import community_ids_for, has_role
from tests import factories


def test_the_roles_of_a_user_are_loaded_once(staff, community):
    with CaptureQueriesContext(connection) as captured:
        ids = community_ids_for(staff, Role.COMMUNITY_STAFF)
        anywhere = community_ids_for(staff)
        is_staff = has_role(staff, Role.COMMUNITY_STAFF)
        is_doctor = has_role(staff, Role.DOCTOR)

    assert (ids, anywhere, is_staff, is_doctor) == ({community.pk}, {community.pk}, True, False)
    assert len(captured) == 1


def test_a_membership_granted_or_removed_is_seen_at_once(staff, community, other_community):
    assert community_ids_for(staff) == {community.pk}

    granted = Membership.objects.create(user=staff, role=Role.PROPERTY_MANAGER, community=other_community)
    assert community_ids_for(staff, Role.PROPERTY_MANAGER) == {other_community.pk}

    granted.delete()
    assert community_ids_for(staff, Role.PROPERTY_MANAGER) == set()
    Membership.objects.filter(user=staff).delete()
    assert not has_role(staff, Role.COMMUNITY_STAFF)


def test_each_request_reads_the_roles_afresh(staff, community, other_community):
    community_ids_for(staff)
    # A write the signals do not see (bulk_create), then a new request on the same user object.
    Membership.objects.bulk_create([Membership(user=staff, role=Role.COMMUNITY_STAFF, community=other_community)])

    Client().get("/healthz")  # the next request on this thread (the test client keeps the test's connection)

    assert community_ids_for(staff, Role.COMMUNITY_STAFF) == {community.pk, other_community.pk}


def test_a_staff_list_checks_the_role_and_scopes_with_the_same_query(staff, community, as_user):
    factories.make_user()  # another user's roles never count
    with CaptureQueriesContext(connection) as captured:
        response = as_user(staff).get("/api/v1/staff/announcements/")

    assert response.status_code == 200
    assert sum('FROM "accounts_membership"' in q["sql"] for q in captured.captured_queries) == 1


def test_a_request_in_another_thread_keeps_this_ones_roles(staff, community):
    community_ids_for(staff)
    other = threading.Thread(target=lambda: request_started.send(sender=None))  # a gthread worker's other thread
    other.start()
    other.join()

    with CaptureQueriesContext(connection) as captured:
        assert community_ids_for(staff) == {community.pk}
    assert len(captured) == 0
