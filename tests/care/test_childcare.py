"""托育: children on the parent's household, applications checked against the class's age band, staff
review with a waitlist, the freed place going to the first waitlisted child, monthly fee bills paid
through the sandbox, and personal data kept to the parent and the staff (others get 404)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from care.models import ChildcareClass, Enrolment, FeeBill
from care.services import childcare as services
from linli.payments.models import PaymentIntent
from linli.payments.services import payment_sandbox_complete
from tests.care.factories_alarms import make_community_staff, make_provider_worker
from tests.care.factories_childcare import make_application, make_child, make_class, months_ago
from tests.conftest import client_for
from tests.residents.factories import make_verified_resident

pytestmark = pytest.mark.django_db

MINE = "/api/v1/care/childcare/"
STAFF = "/api/v1/staff/care/childcare/enrolments/"


@pytest.fixture
def klass(community):
    return make_class(community, capacity=2)


@pytest.fixture
def reviewer(community):
    return make_community_staff(community)


def test_a_parent_registers_a_child_in_their_household_and_applies(community, klass):
    parent, room = make_verified_resident(community)
    api = client_for(parent)

    child = api.post(f"{MINE}children/", {"name": "小米", "birth_date": str(months_ago(15)), "room": room.pk})
    assert child.status_code == 201, child.content
    applied = api.post(
        f"{MINE}enrolments/",
        {"child": child.json()["id"], "klass": klass.pk, "start_date": str(timezone.localdate())},
        format="json",
    )

    assert applied.status_code == 201, applied.content
    assert applied.json()["status"] == "applied"
    assert [h["action"] for h in applied.json()["history"]] == ["apply"]


def test_it_refuses_a_child_in_a_room_the_parent_is_not_verified_in(community):
    parent, _ = make_verified_resident(community)
    _, other_room = make_verified_resident(community)

    response = client_for(parent).post(
        f"{MINE}children/", {"name": "小米", "birth_date": str(months_ago(15)), "room": other_room.pk}
    )

    assert response.status_code == 404


def test_it_refuses_a_child_of_three_or_older(community):
    parent, room = make_verified_resident(community)

    response = client_for(parent).post(
        f"{MINE}children/", {"name": "大宝", "birth_date": str(months_ago(40)), "room": room.pk}
    )

    assert response.status_code == 400
    assert "birth_date" in response.json()["fields"]


def test_it_refuses_an_application_whose_age_does_not_fit_the_band_at_the_start_date(community, klass):
    parent, child = make_child(community, age_months=20)  # 12–24 months: fits today, not in 6 months
    later = months_ago(-6)

    response = client_for(parent).post(
        f"{MINE}enrolments/", {"child": child.pk, "klass": klass.pk, "start_date": str(later)}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "age_out_of_band"
    assert not Enrolment.objects.exists()


def test_one_application_at_a_time_per_child(community, klass):
    enrolment = make_application(klass)
    parent = enrolment.child.parent

    again = client_for(parent).post(
        f"{MINE}enrolments/",
        {"child": enrolment.child_id, "klass": klass.pk, "start_date": str(timezone.localdate())},
        format="json",
    )

    assert again.status_code == 409
    assert again.json()["code"] == "already_applied"


def test_approvals_enrol_within_capacity_then_waitlist_and_a_freed_place_goes_to_the_first_waitlisted(klass, reviewer):
    a, b, c, d = (make_application(klass) for _ in range(4))
    api = client_for(reviewer)

    statuses = [api.post(f"{STAFF}{e.pk}/approve/", {}, format="json").json()["status"] for e in (a, b, c, d)]

    assert statuses == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert api.get(f"{STAFF}{d.pk}/").json()["waitlist_position"] == 2
    withdrawn = api.post(f"{STAFF}{a.pk}/withdraw/", {"note": "搬家"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.content
    c.refresh_from_db()
    d.refresh_from_db()
    assert (c.status, d.status) == ("enrolled", "waitlisted")
    assert ChildcareClass.objects.get(pk=klass.pk).enrolled_count == 2
    assert [h.action for h in c.history.all()] == ["apply", "waitlist", "promote"]


def test_rejecting_needs_a_reason_and_a_rejected_child_may_apply_again(klass, reviewer):
    enrolment = make_application(klass)
    api = client_for(reviewer)

    assert api.post(f"{STAFF}{enrolment.pk}/reject/", {}, format="json").status_code == 400
    assert api.post(f"{STAFF}{enrolment.pk}/reject/", {"reason": "材料不全"}, format="json").status_code == 200
    again = services.enrolment_apply(
        parent=enrolment.child.parent, child=enrolment.child, klass=klass, start_date=timezone.localdate()
    )
    assert again.status == "applied"


def test_the_nurserys_own_worker_reviews_its_applications(klass):
    enrolment = make_application(klass)
    worker = make_provider_worker(klass.provider)

    response = client_for(worker).post(f"{STAFF}{enrolment.pk}/approve/", {}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "enrolled"


def test_another_communitys_staff_and_another_parent_get_404(klass, other_community):
    enrolment = make_application(klass)
    outsider = make_community_staff(other_community)
    stranger, _ = make_verified_resident(klass.community)

    assert client_for(outsider).post(f"{STAFF}{enrolment.pk}/approve/", {}, format="json").status_code == 404
    assert client_for(outsider).get(STAFF).json()["count"] == 0
    assert client_for(stranger).get(f"{MINE}enrolments/{enrolment.pk}/").status_code == 404
    assert client_for(stranger).get(f"{MINE}children/{enrolment.child_id}/").status_code == 404
    assert client_for(stranger).post(f"{MINE}enrolments/{enrolment.pk}/cancel/").status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "applied"


def test_monthly_fee_bills_are_written_once_per_enrolled_child(klass, reviewer):
    enrolled = make_application(klass)
    services.enrolment_approve(enrolment=enrolled, reviewer=reviewer)
    make_application(klass)  # still pending: no bill
    month = timezone.localdate().replace(day=1)

    assert services.fee_bills_generate(month=month) == 1
    assert services.fee_bills_generate(month=month) == 0

    bill = FeeBill.objects.get()
    assert (bill.enrolment, bill.amount_fen, bill.month, bill.status) == (enrolled, 180000, month, "unpaid")


def test_a_fee_bill_is_paid_through_the_sandbox(klass, reviewer):
    enrolment = make_application(klass)
    services.enrolment_approve(enrolment=enrolment, reviewer=reviewer)
    services.fee_bills_generate()
    bill = FeeBill.objects.get()
    api = client_for(enrolment.child.parent)

    paying = api.post(f"{MINE}bills/{bill.pk}/pay/")
    assert paying.status_code == 200, paying.content
    bill.refresh_from_db()
    assert bill.payment_intent.amount_fen == 180000
    payment_sandbox_complete(intent=bill.payment_intent)

    bill.refresh_from_db()
    assert bill.status == "paid"
    assert api.get(f"{MINE}bills/").json()["results"][0]["status"] == "paid"
    again = api.post(f"{MINE}bills/{bill.pk}/pay/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_paid"


def test_a_late_payment_of_an_expired_intent_goes_back_once_the_bill_is_paid(klass, reviewer):
    enrolment = make_application(klass)
    services.enrolment_approve(enrolment=enrolment, reviewer=reviewer)
    services.fee_bills_generate()
    bill, parent = FeeBill.objects.get(), enrolment.child.parent
    first = services.fee_bill_pay(bill=bill, payer=parent).payment_intent
    PaymentIntent.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    second = services.fee_bill_pay(bill=bill, payer=parent).payment_intent
    assert second.pk != first.pk

    payment_sandbox_complete(intent=second)
    payment_sandbox_complete(intent=first)  # the provider still took the old one

    bill.refresh_from_db()
    first.refresh_from_db()
    assert (bill.status, bill.payment_intent_id) == ("paid", second.pk)
    assert first.refunded_fen == first.amount_fen == 180000


def test_another_parent_cannot_pay_or_see_a_bill(klass, reviewer):
    enrolment = make_application(klass)
    services.enrolment_approve(enrolment=enrolment, reviewer=reviewer)
    services.fee_bills_generate(month=date.today().replace(day=1))
    stranger, _ = make_verified_resident(klass.community)

    assert client_for(stranger).post(f"{MINE}bills/{FeeBill.objects.get().pk}/pay/").status_code == 404
    assert client_for(stranger).get(f"{MINE}bills/").json()["count"] == 0
