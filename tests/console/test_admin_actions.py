"""Every console action goes through the same service as the API: the domain history row and the
notification appear, the admin history ("历史") records who did it, and the rules hold (another
community's rows are not touched)."""

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client

from enforcement.models import Category, Domain, Empowerment, Matter, ProblemReport, ReportEvent
from events.models import Event, EventHistory
from health.models import InsuranceApplication, InsuranceApplicationHistory
from linli.accounts.models import Membership, Role
from linli.notifications.models import Notification
from merchants.models import Merchant, MerchantApplication
from residents.models import Verification, WorkOrder, WorkOrderEvent
from tests import factories
from tests.enforcement.factories import make_report, make_world
from tests.events.factories import make_event, make_verified, register
from tests.residents import factories as rf

pytestmark = pytest.mark.django_db


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(user, url, action, *objs):
    response = console(user).post(url, {"action": action, "_selected_action": [o.pk for o in objs]}, follow=True)
    assert response.status_code == 200
    return response


def logged(obj) -> bool:
    return LogEntry.objects.filter(object_id=str(obj.pk), change_message__startswith="后台操作").exists()


def pending_verification(community):
    applicant = factories.make_resident()
    return Verification.objects.create(
        user=applicant,
        room=rf.make_room(community),
        community=community,
        relation="owner",
        real_name="王阿姨",
        phone="13900000000",
    )


def test_approving_a_verification_makes_a_household_and_tells_the_applicant(staff, community):
    verification = pending_verification(community)

    act(staff, "/admin/residents/verification/", "approve_selected", verification)

    verification.refresh_from_db()
    assert verification.status == "approved" and verification.reviewed_by == staff
    assert Membership.objects.filter(user=verification.user, role=Role.RESIDENT, community=community).exists()
    assert Notification.objects.filter(recipient=verification.user, kind="verification.approved").exists()
    assert logged(verification)


def test_rejecting_a_verification_gives_the_reason(staff, community):
    verification = pending_verification(community)

    act(staff, "/admin/residents/verification/", "reject_selected", verification)

    verification.refresh_from_db()
    assert verification.status == "rejected" and verification.reject_reason
    assert Notification.objects.filter(recipient=verification.user, kind="verification.rejected").exists()


def test_staff_cannot_approve_another_communitys_verification(staff, other_community):
    theirs = pending_verification(other_community)

    act(staff, "/admin/residents/verification/", "approve_selected", theirs)

    theirs.refresh_from_db()
    assert theirs.status == "pending"
    assert not Notification.objects.filter(recipient=theirs.user).exists()


def test_assigning_work_orders_goes_through_the_assign_service(staff, community):
    manager = rf.make_property_manager(community, username="property_here")
    reporter, room = rf.make_verified_resident(community)
    order = rf.make_work_order(reporter, room=room)

    act(staff, "/admin/residents/workorder/", "assign_to_property", order)

    order.refresh_from_db()
    assert order.status == WorkOrder.Status.ASSIGNED and order.assignee == manager
    assert WorkOrderEvent.objects.filter(work_order=order, action="assign", actor=staff).exists()
    assert Notification.objects.filter(recipient=manager, kind__startswith="work_order").exists()
    assert Notification.objects.filter(recipient=reporter, kind__startswith="work_order").exists()
    assert logged(order)


def test_assigning_without_a_property_manager_is_refused_not_a_crash(staff, community):
    reporter, room = rf.make_verified_resident(community)
    order = rf.make_work_order(reporter, room=room)

    response = act(staff, "/admin/residents/workorder/", "assign_to_property", order)

    assert "本社区没有物业人员" in response.content.decode()
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.SUBMITTED


def test_publishing_and_cancelling_events_record_history_and_tell_registrants(staff, community):
    draft = make_event(community, publish=False, title="包粽子")
    act(staff, "/admin/events/event/", "publish", draft)
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED
    assert EventHistory.objects.filter(event=draft, to_status="published", actor=staff).exists()

    registration = register(draft, make_verified(community))
    act(staff, "/admin/events/event/", "cancel", draft)
    draft.refresh_from_db()
    assert draft.status == Event.Status.CANCELLED
    assert EventHistory.objects.filter(event=draft, to_status="cancelled", actor=staff).exists()
    assert Notification.objects.filter(recipient=registration.user, kind="events.cancelled").exists()
    assert logged(draft)


def test_approving_a_merchant_application_opens_the_shop(staff, community):
    applicant = factories.make_user()
    application = MerchantApplication.objects.create(
        applicant=applicant,
        community=community,
        name="斗潭果蔬",
        category="fruit_veg",
        licence_number="91330802MA0000009",
        contact_name="王老板",
        contact_phone="13800000000",
    )

    act(staff, "/admin/merchants/merchantapplication/", "approve", application)

    application.refresh_from_db()
    assert application.status == "approved" and application.reviewed_by == staff
    assert Merchant.objects.filter(pk=application.merchant_id, community=community).exists()
    assert Notification.objects.filter(recipient=applicant).exists()
    assert logged(application)


@pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("request_info", "needs_info")])
def test_reviewing_insurance_applications_records_and_notifies(staff, community, action, status):
    applicant = factories.make_resident()
    application = InsuranceApplication.objects.create(
        applicant=applicant, community=community, type="reimbursement", details="门诊报销"
    )

    act(staff, "/admin/health/insuranceapplication/", action, application)

    application.refresh_from_db()
    assert application.status == status and application.reviewer == staff
    assert InsuranceApplicationHistory.objects.filter(application=application, action=action, actor=staff).exists()
    assert Notification.objects.filter(recipient=applicant, kind=f"health.insurance.{action}").exists()
    assert logged(application)


def test_dispatching_reports_routes_them_by_the_empowerment_list():
    world = make_world()
    # A matter whose domain has no district department: the report waits for a dispatcher.
    domain = Domain.objects.create(code="misc", name="其他")
    matter = Matter.objects.create(domain=domain, code="QT-001", name="其他事项", deadline_hours=24)
    category = Category.objects.create(matter=matter, code="misc", name="其他问题")
    report = make_report(category=category, street=world.taoyan)
    assert report.status == ProblemReport.Status.REPORTED and report.team_id is None
    # Empower 陶堰 for it: the action now finds the township team.
    Empowerment.objects.create(street=world.taoyan, matter=matter, since=date(2023, 1, 1))
    root = factories.make_user(is_staff=True, is_superuser=True)

    act(root, "/admin/enforcement/problemreport/", "dispatch", report)

    report.refresh_from_db()
    assert report.team == world.taoyan_team and report.status == ProblemReport.Status.DISPATCHED
    assert ReportEvent.objects.filter(report=report, action="dispatch", actor=root).exists()
    assert Notification.objects.filter(recipient=world.officer_taoyan).exists()
    assert logged(report)
