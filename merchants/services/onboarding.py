"""Opening a shop: applications that community staff decide (`MerchantApplication.workflow`).

One licence number, one shop in business: applying with or approving a licence an active shop already
has is refused, and the database's partial unique index on the normalised number decides a race."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, field_error
from linli.notifications.services import notify
from linli.workflow import check, record_step, transition
from merchants.models import Merchant, MerchantApplication, Position
from merchants.services.members import require_joinable

Action = MerchantApplication.Action
LICENCE_CONSTRAINT = "merchant_unique_active_licence"


def normalise_licence(number: str) -> str:
    return "".join(number.split()).upper()


def _licence_taken():
    return field_error("licence_number", "该营业执照号已有营业中的店铺使用")


def _check_licence_free(number: str) -> None:
    if Merchant.objects.filter(status=Merchant.Status.ACTIVE, licence_number__iexact=number.strip()).exists():
        raise _licence_taken()


@transaction.atomic
def merchant_application_create(*, applicant: User, community, **fields) -> MerchantApplication:
    require_joinable(applicant)
    fields["licence_number"] = normalise_licence(fields["licence_number"])
    _check_licence_free(fields["licence_number"])
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
    require_joinable(application.applicant)
    licence = normalise_licence(application.licence_number)
    _check_licence_free(licence)
    if Merchant.objects.filter(community_id=application.community_id, name=application.name).exists():
        raise ConflictError("本社区已有同名店铺", code="merchant_name_taken")
    try:
        # A concurrent approval with the same licence waits on the unique index and fails here.
        with transaction.atomic():
            merchant = Merchant.objects.create(
                name=application.name,
                community_id=application.community_id,
                category=application.category,
                licence_number=licence,
                contact_phone=application.contact_phone,
                description=application.description,
            )
    except IntegrityError as error:
        message = str(error)
        if LICENCE_CONSTRAINT in message:
            raise _licence_taken() from None
        if "merchant_unique_name_in_community" in message or "merchants_merchant.name" in message:
            raise ConflictError("本社区已有同名店铺", code="merchant_name_taken") from None
        raise
    Membership.objects.create(
        user=application.applicant,
        role=Role.MERCHANT_MEMBER,
        scope_type=ContentType.objects.get_for_model(Merchant),
        scope_id=merchant.pk,
        position=Position.OWNER,
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
