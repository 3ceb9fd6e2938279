"""Every console action goes through the same service as the API: the domain history row and the
notification appear, the admin history ("历史") records who did it, and the rules hold (another
community's rows are not touched)."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from enforcement.models import Case, Category, Domain, Empowerment, Matter, ProblemReport, ReportHistory, ReportRequest
from enforcement.services import cases as case_services
from enforcement.services import open311 as open311_services
from enforcement.services import reports as report_services
from events.models import Event, EventHistory
from health.models import InsuranceApplication, InsuranceApplicationHistory, PolicyArticle
from linli.accounts.models import Membership, Role
from linli.devices.models import Device
from linli.notifications.models import Delivery, Notification
from linli.payments import services as payment_services
from linli.payments.models import PaymentIntent
from merchants.models import Merchant, MerchantApplication
from residents.models import Verification, WorkOrder, WorkOrderHistory
from tests import factories
from tests.devices.factories import make_device
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
    assert WorkOrderHistory.objects.filter(work_order=order, action="assign", actor=staff).exists()
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
    assert ReportHistory.objects.filter(report=report, action="dispatch", actor=root).exists()
    assert Notification.objects.filter(recipient=world.officer_taoyan).exists()
    assert logged(report)


# --- the actions that used to run their service by hand: now each row is logged, a refusal is a message


def superuser():
    return factories.make_user(is_staff=True, is_superuser=True)


def enforcement_console(user, *codenames):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_escalating_overdue_work_orders_is_logged_once(staff, community):
    reporter, room = rf.make_verified_resident(community)
    late = rf.make_work_order(reporter, room=room)
    on_time = rf.make_work_order(reporter, room=room)
    WorkOrder.objects.filter(pk=late.pk).update(response_due_at=timezone.now() - timedelta(hours=1))

    response = act(staff, "/admin/residents/workorder/", "escalate_overdue", late, on_time)

    assert "已上报 1 张超时工单" in response.content.decode()
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert WorkOrderHistory.objects.filter(work_order=late, action="escalate").count() == 1
    assert logged(late) and not logged(on_time)
    # Once is enough: a second escalation changes nothing and fails nothing.
    assert "已上报 0 张超时工单" in act(staff, "/admin/residents/workorder/", "escalate_overdue", late).content.decode()
    assert WorkOrderHistory.objects.filter(work_order=late, action="escalate").count() == 1


def test_escalating_an_overdue_report_is_logged(community):
    world = make_world()
    report = make_report(category=world.fishing_cat, street=world.taoyan)  # dispatched to 陶堰
    ProblemReport.objects.filter(pk=report.pk).update(deadline_at=timezone.now() - timedelta(hours=2))
    dispatcher = enforcement_console(world.dispatcher, "view_problemreport", "change_problemreport")

    response = act(dispatcher, "/admin/enforcement/problemreport/", "escalate_now", report)

    assert "已升级 1 条线索" in response.content.decode()
    report.refresh_from_db()
    assert report.escalation_level == 1
    assert ReportHistory.objects.filter(report=report, action="escalate").exists()
    assert logged(report)


def test_deciding_report_requests_is_logged_and_a_second_decision_is_a_message():
    world = make_world()
    report = make_report(category=world.fishing_cat, street=world.taoyan)
    request = report_services.report_request_extension(
        report=report, actor=world.officer_taoyan, reason="需要夜间蹲守", extra_hours=24
    )
    dispatcher = enforcement_console(world.dispatcher, "view_reportrequest", "change_reportrequest")
    url = "/admin/enforcement/reportrequest/"

    act(dispatcher, url, "approve", request)
    request.refresh_from_db()
    assert request.status == ReportRequest.Status.APPROVED and request.decided_by == world.dispatcher
    assert logged(request)

    response = act(dispatcher, url, "reject", request)
    assert "不能再审批" in response.content.decode() and "已驳回 0 条申请" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ReportRequest.Status.APPROVED


def test_pushing_a_case_again_is_logged_and_one_still_pushing_is_a_message():
    world = make_world()
    officer = enforcement_console(world.officer_market, "view_case", "change_case")
    failed, pushing = (
        case_services.case_file(actor=officer, matter=world.food, party_name="白塔村小卖部", facts="过期乳制品")
        for _ in range(2)
    )
    Case.objects.filter(pk=failed.pk).update(push_status=Case.PushStatus.FAILED, external_id=None)
    Case.objects.filter(pk=pushing.pk).update(push_status=Case.PushStatus.PENDING, external_id=None)

    response = act(officer, "/admin/enforcement/case/", "push_again", failed, pushing)

    page = response.content.decode()
    assert "已重新排队推送 1 件" in page and "案件正在推送" in page
    assert logged(failed) and not logged(pushing)


def test_rotating_an_open311_key_is_logged():
    client, _key = open311_services.open311_client_issue(name="12345 热线", contact="热线办")

    response = act(superuser(), "/admin/enforcement/open311client/", "rotate_key", client)

    assert "的新 api_key" in response.content.decode()
    assert logged(client)


def test_publishing_policies_is_logged_and_publishing_twice_is_a_message(staff, community):
    article = PolicyArticle.objects.create(title="医保新政", body="正文", community=community)

    act(staff, "/admin/health/policyarticle/", "publish", article)
    article.refresh_from_db()
    assert article.status == PolicyArticle.Status.PUBLISHED and logged(article)

    response = act(staff, "/admin/health/policyarticle/", "publish", article)
    assert "文章已发布" in response.content.decode() and "已发布 0 篇" in response.content.decode()


def test_disabling_and_enabling_devices_is_logged(staff, community):
    device, _secret = make_device(community)

    act(staff, "/admin/devices/device/", "disable", device)
    device.refresh_from_db()
    assert device.status == Device.Status.DISABLED
    act(staff, "/admin/devices/device/", "enable", device)
    device.refresh_from_db()
    assert device.status == Device.Status.OFFLINE
    messages = set(LogEntry.objects.filter(object_id=str(device.pk)).values_list("change_message", flat=True))
    assert messages == {"后台操作：停用", "后台操作：启用"}


def test_retrying_a_failed_delivery_is_logged(community):
    recipient = factories.make_resident()
    notification = Notification.objects.create(recipient=recipient, kind="test", title="测试", body="")
    delivery = Delivery.objects.create(
        notification=notification, recipient=recipient, channel="sms", status="failed", address="13900000000"
    )

    response = act(superuser(), "/admin/notifications/delivery/", "retry", delivery)

    assert "已重新排队 1 条推送" in response.content.decode()
    assert logged(delivery)


def test_closing_an_unpaid_intent_is_logged():
    intent = payment_services.payment_intent_create(
        payer=factories.make_resident(), amount_fen=500, purpose="tests.thing", reference="1", description="测试"
    )

    response = act(superuser(), "/admin/payments/paymentintent/", "close_unpaid", intent)

    assert "已关闭 1 笔" in response.content.decode()
    intent.refresh_from_db()
    assert intent.status == PaymentIntent.Status.CLOSED and logged(intent)
