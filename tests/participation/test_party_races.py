"""Real concurrency on PostgreSQL: a double-tapped registration keeps one; a 报到 racing a revocation
either lands before it or is refused, never after."""

from datetime import date

import pytest

from participation.models import PartyMember, PartyReport
from participation.services import party as services
from tests import factories
from tests.participation import party_factories as pf
from tests.support.race import errors, race, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_registrations_of_one_person_keep_one():
    community = factories.make_community()
    user = pf.resident_of(community)

    def register(i):
        return services.party_member_register(
            user=user,
            community=community,
            kind="community",
            organisation="白云社区第二党支部",
            joined_on=date(1975, 6, 18),
        )

    results = race_n(8, register)

    refused = errors(results)
    assert len(refused) == 7 and all(isinstance(e, services.AlreadyRegistered) for e in refused)
    assert PartyMember.objects.filter(user=user).count() == 1


def test_a_report_racing_a_revocation_never_lands_on_a_revoked_member():
    community = factories.make_community()
    staff = pf.staff_of(community)
    member = pf.make_member(community, confirmed_by=staff)

    results = race(
        [
            lambda: services.party_report_create(member=member, community=community),
            lambda: services.party_member_revoke(member=member, actor=staff, reason="组织关系转出"),
        ]
    )

    member.refresh_from_db()
    assert member.status == PartyMember.Status.REVOKED
    reported = PartyReport.objects.filter(member=member).exists()
    assert reported == (not isinstance(results[0], Exception))
    if reported:  # the report committed first: it was taken while the member was confirmed
        assert PartyReport.objects.get(member=member).created_at <= member.history.get(action="revoke").created_at
