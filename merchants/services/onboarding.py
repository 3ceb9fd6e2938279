"""Opening a shop: applications that community staff decide (`MerchantApplication.workflow`), and the
shop's members."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, ForbiddenError
from linli.notifications.services import notify
from linli.workflow import check, record_step, transition
from merchants import selectors
from merchants.models import Merchant, MerchantApplication

Action = MerchantApplication.Action


@transaction.atomic
def merchant_application_create(*, applicant: User, community, **fields) -> MerchantApplication:
    if MerchantApplication.objects.filter(
        applicant=applicant, community=community, name=fields["name"], status=MerchantApplication.Status.PENDING
    ).exists():
        raise ConflictError("该店铺的入驻申请正在审核中", code="application_pending")
    application = MerchantApplication.objects.create(applicant=applicant, community=community, **fields)
    record_step(application, Action.SUBMIT, actor=applicant, from_status="")
    staff_ids = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).values_list(
        "user_id", flat=True
    )
    notify(
        list(staff_ids),
        "market.application_submitted",
        "新的商家入驻申请",
        f"{application.name}（{application.get_category_display()}）申请入驻{community.name}市集。",
        data={"application": application.pk},
        dedupe_key=f"merchant-application:{application.pk}:submitted",
    )
    return application


def _locked(application: MerchantApplication, action: str) -> MerchantApplication:
    application = MerchantApplication.objects.select_for_update().get(pk=application.pk)
    check(application, action)
    return application


@transaction.atomic
def merchant_application_approve(
    *, application: MerchantApplication, reviewer: User, note: str = ""
) -> MerchantApplication:
    """Open the shop and make the applicant its owner."""
    application = _locked(application, Action.APPROVE)
    if Merchant.objects.filter(community_id=application.community_id, name=application.name).exists():
        raise ConflictError("本社区已有同名店铺", code="merchant_name_taken")
    merchant = Merchant.objects.create(
        name=application.name,
        community_id=application.community_id,
        category=application.category,
        licence_number=application.licence_number,
        contact_phone=application.contact_phone,
        description=application.description,
    )
    Membership.objects.create(
        user=application.applicant,
        role=Role.MERCHANT_MEMBER,
        scope_type=ContentType.objects.get_for_model(Merchant),
        scope_id=merchant.pk,
        position="owner",
    )
    transition(
        application,
        Action.APPROVE,
        actor=reviewer,
        note=note,
        locked=True,
        merchant=merchant,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
        review_note=note[:200],
    )
    notify(
        application.applicant,
        "market.application_approved",
        "入驻申请已通过",
        f"「{merchant.name}」已开通，现在可以上架商品了。",
        data={"application": application.pk, "merchant": merchant.pk},
        dedupe_key=f"merchant-application:{application.pk}:decided",
    )
    return application


@transaction.atomic
def merchant_application_reject(*, application: MerchantApplication, reviewer: User, note: str) -> MerchantApplication:
    application = _locked(application, Action.REJECT)
    transition(
        application,
        Action.REJECT,
        actor=reviewer,
        note=note,
        locked=True,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
        review_note=note[:200],
    )
    notify(
        application.applicant,
        "market.application_rejected",
        "入驻申请未通过",
        f"「{application.name}」的入驻申请未通过：{note}",
        data={"application": application.pk},
        dedupe_key=f"merchant-application:{application.pk}:decided",
    )
    return application


@transaction.atomic
def merchant_member_add(*, merchant: Merchant, by: User, user: User, position: str = "staff") -> Membership:
    """The owner adds someone to the shop (position staff, or another owner)."""
    if merchant.pk not in selectors.merchant_ids_for(by, owner_only=True):
        raise ForbiddenError("只有店主可以添加成员")
    scope = {"scope_type": ContentType.objects.get_for_model(Merchant), "scope_id": merchant.pk}
    if Membership.objects.filter(user=user, role=Role.MERCHANT_MEMBER, **scope).exists():
        raise ConflictError("该用户已是店铺成员", code="already_member")
    membership = Membership.objects.create(user=user, role=Role.MERCHANT_MEMBER, position=position, **scope)
    notify(
        user,
        "market.member_added",
        "你已加入店铺",
        f"你已成为「{merchant.name}」的成员。",
        data={"merchant": merchant.pk},
        dedupe_key=f"merchant:{merchant.pk}:member:{membership.pk}",
    )
    return membership


@transaction.atomic
def merchant_member_remove(*, membership: Membership, by: User) -> None:
    if membership.scope_id not in selectors.merchant_ids_for(by, owner_only=True):
        raise ForbiddenError("只有店主可以移除成员")
    if membership.user_id == by.pk:
        raise ConflictError("不能移除自己", code="cannot_remove_self")
    membership.delete()
