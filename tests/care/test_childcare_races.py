"""Real concurrency (PostgreSQL): parallel approvals for a class with k places enrol exactly k; a
withdrawal racing approvals never lets the class overflow."""

import pytest

from care.models import ChildcareClass, Enrolment
from care.services import childcare as services
from tests.care.factories_alarms import make_community_staff
from tests.care.factories_childcare import make_application, make_class
from tests.support.race import errors, race, race_n

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_approvals_enrol_exactly_the_places_left(community):
    klass = make_class(community, capacity=3)
    reviewer = make_community_staff(community)
    applications = [make_application(klass) for _ in range(10)]

    results = race_n(10, lambda i: services.enrolment_approve(enrolment=applications[i], reviewer=reviewer))

    assert errors(results) == []
    statuses = list(Enrolment.objects.values_list("status", flat=True))
    assert statuses.count("enrolled") == 3
    assert statuses.count("waitlisted") == 7
    assert ChildcareClass.objects.get(pk=klass.pk).enrolled_count == 3


def test_a_withdrawal_racing_approvals_keeps_the_class_within_capacity(community):
    klass = make_class(community, capacity=2)
    reviewer = make_community_staff(community)
    first, second, *pending = [make_application(klass) for _ in range(6)]
    services.enrolment_approve(enrolment=first, reviewer=reviewer)
    services.enrolment_approve(enrolment=second, reviewer=reviewer)

    calls = [lambda: services.enrolment_withdraw(enrolment=first, actor=reviewer)]
    calls += [lambda e=e: services.enrolment_approve(enrolment=e, reviewer=reviewer) for e in pending]
    results = race(calls)

    assert errors(results) == []
    assert Enrolment.objects.filter(status="enrolled").count() == 2
    assert ChildcareClass.objects.get(pk=klass.pk).enrolled_count == 2
