"""A shop's members, by consent only: invitations (to a phone number, or as a code to share) that the
invited person accepts or declines, leaving and removal, and the explicit transfer of ownership.

Every change to a shop's members locks the merchant row first (accepting an invitation, removing,
changing a position, transferring), so the "exactly one owner" rule and the member checks are
decided one at a time. Lock order: an invitation before its merchant."""

import hashlib
import secrets
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, ForbiddenError, NotFoundError, field_error
from linli.notifications.services import notify
from linli.workflow import check, record_step, transition
from merchants import conf, selectors
from merchants.models import Merchant, MerchantInvitation, Position

Action, Status = MerchantInvitation.Action, MerchantInvitation.Status

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a photo
CODE_LENGTH = 10  # 32^10 ≈ 10^15 codes: guessing one within its few days of life is hopeless


class InvitationExpired(ConflictError):
    code = "invitation_expired"
    default_message = "邀请已过期，请联系店铺重新邀请"


def code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _scope(merchant_id: int) -> dict:
    return {
        "role": Role.MERCHANT_MEMBER,
        "scope_type": ContentType.objects.get_for_model(Merchant),
        "scope_id": merchant_id,
    }


def _position_of(user: User, merchant_id: int) -> str | None:
    membership = Membership.objects.filter(user=user, **_scope(merchant_id)).only("position").first()
    return membership.position if membership else None


def _lock_merchant(merchant_id: int) -> Merchant:
    return Merchant.objects.select_for_update().get(pk=merchant_id)


def _require_inviter(by: User, merchant_id: int, position: str) -> None:
    """Owners invite managers and staff; managers invite staff."""
    mine = _position_of(by, merchant_id)
    if mine == Position.OWNER or (mine == Position.MANAGER and position == Position.STAFF):
        return
    if mine == Position.MANAGER:
        raise ForbiddenError("店长只能邀请店员")
    raise ForbiddenError("只有店主或店长可以邀请成员")


def require_joinable(user: User) -> None:
    """Staff, superusers and holders of an official role (community staff, property manager, doctor,
    officer, grid worker) never become members of a shop: their accounts see residents' data."""
    if selectors.is_privileged(user):
        raise ForbiddenError("工作人员或管理员账号不能成为商家成员，请使用个人账号", code="privileged_account")


def _expire(invitation: MerchantInvitation) -> None:
    transition(invitation, Action.EXPIRE, locked=True, note="超过有效期")


@transaction.atomic
def merchant_invitation_create(
    *, merchant: Merchant, by: User, position: str, phone: str | None = None
) -> tuple[MerchantInvitation, str | None]:
    """Invite a phone number (its holder, now or once they register, sees the invitation) or create a
    code to share. Returns the invitation and the code, which is shown this once and stored only as a
    digest. The answer is the same whether or not the phone belongs to anyone."""
    if position not in (Position.MANAGER, Position.STAFF):
        raise field_error("position", "店主不能通过邀请产生，请使用转让店铺")
    _require_inviter(by, merchant.pk, position)
    now = timezone.now()
    fields = {"merchant": merchant, "position": position, "invited_by": by, "expires_at": now + conf.invitation_ttl()}
    code = None
    if phone:
        for stale in MerchantInvitation.objects.filter(
            merchant=merchant, phone=phone, status=Status.PENDING, expires_at__lte=now
        ).select_for_update():
            _expire(stale)
        if MerchantInvitation.objects.filter(merchant=merchant, phone=phone, status=Status.PENDING).exists():
            raise ConflictError("已向该手机号发出邀请，请等待对方回应或先撤回", code="invitation_pending")
        invitation = MerchantInvitation.objects.create(kind=MerchantInvitation.Kind.PHONE, phone=phone, **fields)
    else:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        invitation = MerchantInvitation.objects.create(
            kind=MerchantInvitation.Kind.CODE, code_digest=code_digest(code), **fields
        )
    record_step(invitation, Action.INVITE, actor=by, from_status="")
    if phone:
        # The inbox of whoever holds the number now; the inviter is never told whether anyone does.
        notify(
            User.objects.filter(phone=phone, is_active=True),
            "market.invitation_received",
            "店铺邀请你加入",
            f"「{merchant.name}」邀请你成为{invitation.get_position_display()}，请在「店铺邀请」中接受或拒绝。",
            data={"invitation": invitation.pk, "merchant": merchant.pk},
            dedupe_key=f"merchant-invitation:{invitation.pk}:sent",
        )
    return invitation, code


def _locked_pending(invitation_id: int, action: str) -> tuple[MerchantInvitation, bool]:
    """The invitation under its row lock, checked to be pending; expired (and marked so) when past due."""
    invitation = MerchantInvitation.objects.select_for_update().select_related("merchant").get(pk=invitation_id)
    check(invitation, action)
    if invitation.expires_at <= timezone.now():
        _expire(invitation)
        return invitation, True
    return invitation, False


def _accept(invitation: MerchantInvitation, user: User) -> Membership:
    require_joinable(user)
    _lock_merchant(invitation.merchant_id)
    scope = _scope(invitation.merchant_id)
    if Membership.objects.filter(user=user, **scope).exists():
        raise ConflictError("你已是该店铺的成员", code="already_member")
    membership = Membership.objects.create(user=user, position=invitation.position, **scope)
    transition(invitation, Action.ACCEPT, actor=user, locked=True, user=user, responded_at=timezone.now())
    if invitation.invited_by_id:
        notify(
            invitation.invited_by_id,
            "market.invitation_accepted",
            "成员邀请已接受",
            f"{user.display_name or '受邀人'}已加入「{invitation.merchant.name}」，"
            f"职务为{invitation.get_position_display()}。",
            data={"invitation": invitation.pk, "merchant": invitation.merchant_id},
            dedupe_key=f"merchant-invitation:{invitation.pk}:accepted",
        )
    return membership


def _respond(invitation_id: int, user: User, action: str, *, expired_error: Exception) -> Membership | None:
    # Not one atomic block around everything: an expired invitation is marked expired (committed)
    # and then refused.
    with transaction.atomic():
        invitation, expired = _locked_pending(invitation_id, action)
        if not expired:
            if action == Action.ACCEPT:
                return _accept(invitation, user)
            transition(invitation, Action.DECLINE, actor=user, locked=True, user=user, responded_at=timezone.now())
            return None
    raise expired_error


def _addressed_to(invitation: MerchantInvitation, user: User) -> None:
    if invitation.kind != MerchantInvitation.Kind.PHONE or not user.phone or invitation.phone != user.phone:
        raise NotFoundError("邀请不存在")


def merchant_invitation_accept(*, invitation: MerchantInvitation, user: User) -> Membership:
    """The holder of the invited phone number accepts: they become a member in the invited position."""
    _addressed_to(invitation, user)
    return _respond(invitation.pk, user, Action.ACCEPT, expired_error=InvitationExpired())


def merchant_invitation_decline(*, invitation: MerchantInvitation, user: User) -> None:
    _addressed_to(invitation, user)
    _respond(invitation.pk, user, Action.DECLINE, expired_error=InvitationExpired())


def merchant_invitation_accept_code(*, code: str, user: User) -> Membership:
    """Anyone logged in who has the code joins with it, once, before it expires. Unknown, used,
    revoked or expired codes all get the same answer."""
    invalid = field_error("code", "邀请码无效或已失效")
    invitation = MerchantInvitation.objects.filter(code_digest=code_digest(code)).first()
    if invitation is None or invitation.status != Status.PENDING:
        raise invalid
    try:
        return _respond(invitation.pk, user, Action.ACCEPT, expired_error=invalid)
    except ConflictError as error:
        if error.code == "invalid_transition":  # used or revoked a moment ago
            raise invalid from None
        raise


@transaction.atomic
def merchant_invitation_revoke(*, invitation: MerchantInvitation, by: User) -> MerchantInvitation:
    invitation = MerchantInvitation.objects.select_for_update().get(pk=invitation.pk)
    _require_inviter(by, invitation.merchant_id, invitation.position)
    transition(invitation, Action.REVOKE, actor=by, locked=True)
    return invitation


def merchant_invitation_expire(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Mark one invitation expired if it is still pending and past due (re-checked under the lock)."""
    with transaction.atomic():
        invitation = MerchantInvitation.objects.select_for_update().filter(pk=invitation_id).first()
        if invitation is None or invitation.status != Status.PENDING or invitation.expires_at > (now or timezone.now()):
            return False
        _expire(invitation)
        return True


def merchant_invitations_expire_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = MerchantInvitation.objects.filter(status=Status.PENDING, expires_at__lte=now).values_list("pk", flat=True)
    return sum(merchant_invitation_expire(invitation_id=pk, now=now) for pk in list(due))


# --- members ---------------------------------------------------------------------------------


def _locked_member(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)


@transaction.atomic
def merchant_member_remove(*, membership: Membership, by: User) -> None:
    """A member leaves (their own membership), or is removed: by the owner, or by a manager if they
    are staff. Nobody removes the owner, and the owner leaves only after transferring the shop."""
    _lock_merchant(membership.scope_id)
    membership = _locked_member(membership)
    if membership.user_id == by.pk:
        if membership.position == Position.OWNER:
            raise ConflictError("店主需先把店铺转让给店长，才能退出", code="owner_cannot_leave")
        membership.delete()
        return
    if membership.position == Position.OWNER:
        raise ForbiddenError("不能移除店主")
    mine = _position_of(by, membership.scope_id)
    if not (mine == Position.OWNER or (mine == Position.MANAGER and membership.position == Position.STAFF)):
        raise ForbiddenError("只有店主可以移除成员，店长只能移除店员")
    membership.delete()


@transaction.atomic
def merchant_member_set_position(*, membership: Membership, by: User, position: str) -> Membership:
    """The owner makes a member a manager or staff. The owner's own place changes only by a transfer."""
    _lock_merchant(membership.scope_id)
    membership = _locked_member(membership)
    if _position_of(by, membership.scope_id) != Position.OWNER:
        raise ForbiddenError("只有店主可以调整成员职务")
    if position not in (Position.MANAGER, Position.STAFF):
        raise field_error("position", "店主只能通过转让店铺产生")
    if membership.position == Position.OWNER:
        raise ConflictError("店主的职务只能通过转让店铺改变", code="owner_position_fixed")
    membership.position = position
    membership.save(update_fields=["position"])
    return membership


@transaction.atomic
def merchant_ownership_transfer(*, merchant: Merchant, by: User, to: Membership) -> Membership:
    """The owner hands the shop to one of its managers, who becomes the owner; the old owner stays on
    as a manager. Under the merchant's row lock, so there is exactly one owner afterwards."""
    merchant = _lock_merchant(merchant.pk)
    members = Membership.objects.select_for_update().filter(**_scope(merchant.pk))
    mine = members.filter(user=by).first()
    if mine is None or mine.position != Position.OWNER:
        raise ForbiddenError("只有店主可以转让店铺")
    target = members.select_related("user").filter(pk=to.pk).first()
    if target is None or target.position != Position.MANAGER:
        raise field_error("member", "只能转让给本店的店长")
    if not target.user.is_active:
        raise field_error("member", "该成员账号已停用")
    require_joinable(target.user)
    mine.position = Position.MANAGER
    mine.save(update_fields=["position"])
    target.position = Position.OWNER
    target.save(update_fields=["position"])
    notify(
        target.user,
        "market.ownership_transferred",
        "你已成为店主",
        f"{by.display_name or '原店主'}已把「{merchant.name}」转让给你。",
        data={"merchant": merchant.pk},
    )
    return target
