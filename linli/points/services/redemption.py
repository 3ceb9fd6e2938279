"""积分兑换: redeem an item (points and stock in one transaction, a code back), verify the code (staff
of the community, or the members of the merchant that accepts a voucher; first wins), cancel (points
and stock come back exactly once).

Lock order is item → account on redeem and redemption → item → account on cancel; a redemption is
created under the item lock, so it cannot be cancelled before it exists and the two never cross.
"""

import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import Membership, Role
from linli.accounts.selectors import community_ids_for
from linli.api.errors import ConflictError, NotFoundError, field_error
from linli.points.models import Redemption, RedemptionItem, RedemptionKind
from linli.points.services.ledger import refund, spend
from linli.workflow import record_step, transition

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud at a counter
CODE_LENGTH = 8

A = Redemption.Action


class ItemUnavailable(ConflictError):
    code = "item_unavailable"
    default_message = "该商品当前不可兑换"


class OutOfStock(ConflictError):
    code = "out_of_stock"
    default_message = "库存不足"


class RedemptionLimitReached(ConflictError):
    code = "redemption_limit_reached"
    default_message = "已达到每人限兑数量"


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Redemption.objects.filter(code=code).exists():  # 32^8 codes: a retry is rare, a clash rarer
            return code


def normalise_code(code: str) -> str:
    return "".join(str(code).split()).upper()[:20]


@transaction.atomic
def redemption_create(*, item: RedemptionItem, user) -> Redemption:
    """`item` must come from the resident's catalogue (the view's queryset scopes it)."""
    item = RedemptionItem.objects.select_for_update().get(pk=item.pk)  # serialises this item's redemptions
    now = timezone.now()
    if (
        not item.active
        or (item.available_from is not None and now < item.available_from)
        or (item.available_until is not None and now >= item.available_until)
    ):
        raise ItemUnavailable()
    if item.per_person_limit is not None:
        held = Redemption.objects.filter(item=item, user=user).exclude(status=Redemption.Status.CANCELLED).count()
        if held >= item.per_person_limit:
            raise RedemptionLimitReached(f"每人限兑 {item.per_person_limit} 份", extra={"limit": item.per_person_limit})
    # Conditional: the stock never goes below zero whatever the interleaving.
    if not RedemptionItem.objects.filter(pk=item.pk, stock__gt=0).update(stock=F("stock") - 1, updated_at=now):
        raise OutOfStock()
    redemption = Redemption.objects.create(
        item=item, community_id=item.community_id, user=user, points=item.points_price, code=_new_code()
    )
    # Not enough points raises InsufficientPoints (409) and the whole transaction, stock included, rolls back.
    spend(
        user=user,
        amount=item.points_price,
        reason=f"积分兑换「{item.name}」"[:100],
        idempotency_key=f"redeem:{redemption.pk}",
        source=redemption,
    )
    record_step(redemption, A.REDEEM, actor=user, from_status="", note=item.name)
    return redemption


def _may_verify(actor, redemption: Redemption, *, as_merchant: bool) -> bool:
    if as_merchant:
        item = redemption.item
        if item.merchant_type_id is None:
            return False
        return Membership.objects.filter(
            user=actor, role=Role.MERCHANT_MEMBER, scope_type_id=item.merchant_type_id, scope_id=item.merchant_id
        ).exists()
    return actor.is_superuser or redemption.community_id in community_ids_for(actor, Role.COMMUNITY_STAFF)


@transaction.atomic
def redemption_verify(*, code: str, actor, as_merchant: bool = False) -> Redemption:
    """Hand over the goods or accept the voucher. A code that is not theirs to verify is 404, like an
    unknown one; a second verification (or one after a cancellation) is 409 invalid_transition."""
    redemption = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(code=normalise_code(code))
        .first()
    )
    if redemption is None or not _may_verify(actor, redemption, as_merchant=as_merchant):
        raise NotFoundError("兑换码无效")
    transition(
        redemption,
        A.VERIFY,
        actor=actor,
        locked=True,
        note="商家核销" if as_merchant else "社区核销",
        verified_at=timezone.now(),
        verified_by=actor,
    )
    return redemption


@transaction.atomic
def redemption_cancel(*, redemption: Redemption, actor, reason: str = "") -> Redemption:
    """By the resident before verification, or by staff. Only a pending redemption may be cancelled,
    under its row lock, so points and stock come back once however many cancels race."""
    transition(redemption, A.CANCEL, actor=actor, note=reason or "取消兑换", cancelled_at=timezone.now())
    RedemptionItem.objects.filter(pk=redemption.item_id).update(stock=F("stock") + 1, updated_at=timezone.now())
    refund(
        user=redemption.user,
        amount=redemption.points,
        reason="取消兑换，退回积分",
        idempotency_key=f"redeem-cancel:{redemption.pk}",
        source=redemption,
    )
    return redemption


def _merchant_ref(merchant_type: str | None, merchant_id: int | None) -> tuple[int | None, int | None]:
    """(content type id, id) of an accepting merchant named as "app_label.model" and an id; 400 if absent."""
    if not merchant_type and not merchant_id:
        return None, None
    if not (merchant_type and merchant_id):
        raise field_error("merchant_id", "商家类型和商家 ID 须同时填写")
    app_label, _, model = merchant_type.partition(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
    model_class = content_type.model_class() if content_type else None
    if model_class is None or not model_class._default_manager.filter(pk=merchant_id).exists():
        raise field_error("merchant_id", "商家不存在")
    return content_type.pk, merchant_id


_UNSET = object()
_ITEM_FIELDS = (
    "name",
    "kind",
    "description",
    "points_price",
    "stock",
    "per_person_limit",
    "available_from",
    "available_until",
    "active",
)


@transaction.atomic
def redemption_item_save(
    *, item: RedemptionItem | None = None, community=None, merchant_type=_UNSET, merchant_id=_UNSET, **fields
) -> RedemptionItem:
    """Create an item in `community`, or change `item` (locked: a redemption may be taking stock)."""
    if item is None:
        item = RedemptionItem(community=community)
    else:
        item = RedemptionItem.objects.select_for_update().get(pk=item.pk)
    for name in _ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    if merchant_type is not _UNSET or merchant_id is not _UNSET:  # a partial update may leave the merchant be
        merchant_type = None if merchant_type is _UNSET else merchant_type
        merchant_id = None if merchant_id is _UNSET else merchant_id
        item.merchant_type_id, item.merchant_id = _merchant_ref(merchant_type, merchant_id)
    if item.kind == RedemptionKind.VOUCHER and item.merchant_id is None:
        raise field_error("merchant_id", "商家代金券须指定受理商家")
    if item.available_from and item.available_until and item.available_until <= item.available_from:
        raise field_error("available_until", "截止时间须晚于开始时间")
    item.save()
    return item
