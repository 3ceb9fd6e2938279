"""Household verification: a resident asks to be recognised at a room, community staff decide."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, ForbiddenError, NotFoundError
from linli.limits import services as limits
from linli.notifications.services import notify
from linli.regions import households
from linli.regions.models import Room
from linli.workflow import check, record_step, transition
from residents import selectors
from residents.models import Relation, Verification
from residents.services._common import is_community_staff, resident_link


class AlreadyVerified(ConflictError):
    code = "already_verified"
    default_message = "您已是该房屋的认证住户"


class VerificationPending(ConflictError):
    code = "verification_pending"
    default_message = "该房屋已有待审核的认证申请"


@transaction.atomic
def verification_submit(*, user: User, room: Room, relation: str, real_name: str, phone: str) -> Verification:
    if households.residency(user, room) is not None:
        raise AlreadyVerified()
    # Fair use: the user's row is locked so their concurrent applications are counted one at a time.
    limits.lock_person(user)
    pending_rooms = list(
        Verification.objects.filter(user=user, status=Verification.Status.PENDING).values_list("room_id", flat=True)
    )
    if room.pk in pending_rooms:
        raise VerificationPending()
    limits.check(limits.Key.PENDING_VERIFICATIONS, count=len(pending_rooms))
    community_id = households.room_community_id(room)
    try:
        with transaction.atomic():
            verification = Verification.objects.create(
                user=user,
                room=room,
                community_id=community_id,
                relation=relation,
                real_name=real_name,
                phone=phone,
            )
    except IntegrityError:
        raise VerificationPending() from None
    record_step(verification, Verification.Action.SUBMIT, actor=user, from_status="")
    notify(
        selectors.community_staff_of(community_id),
        "verification.submitted",
        "新的住户认证申请",
        f"{real_name} 申请认证 {room}（{verification.get_relation_display()}）",
        link=f"/staff/verifications/{verification.pk}",
        data={"verification": verification.pk},
    )
    return verification


def _locked_for_review(verification: Verification, reviewer: User, action: str) -> Verification:
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if not (reviewer.is_superuser or is_community_staff(reviewer, verification.community_id)):
        raise ForbiddenError("只有本社区工作人员可以审核")
    check(verification, action)
    return verification


@transaction.atomic
def verification_approve(*, verification: Verification, reviewer: User) -> Verification:
    """Approve: the applicant becomes a verified resident of the room (a scoped RESIDENT membership)."""
    verification = _locked_for_review(verification, reviewer, Verification.Action.APPROVE)
    room = verification.room
    Membership.objects.get_or_create(
        user=verification.user,
        role=Role.RESIDENT,
        scope_type=ContentType.objects.get_for_model(Room),
        scope_id=room.pk,
        defaults={"community_id": verification.community_id, "position": verification.relation},
    )
    transition(
        verification,
        Verification.Action.APPROVE,
        actor=reviewer,
        locked=True,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )
    notify(
        verification.user_id,
        "verification.approved",
        "住户认证已通过",
        f"您已认证为 {room} 的{verification.get_relation_display()}。",
        link=resident_link("verifications", verification.pk),
        data={"verification": verification.pk, "room": room.pk},
        dedupe_key=f"verification:{verification.pk}:decided",
    )
    return verification


@transaction.atomic
def verification_reject(*, verification: Verification, reviewer: User, reason: str) -> Verification:
    verification = _locked_for_review(verification, reviewer, Verification.Action.REJECT)
    transition(
        verification,
        Verification.Action.REJECT,
        actor=reviewer,
        note=reason,
        locked=True,
        reject_reason=reason,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )
    notify(
        verification.user_id,
        "verification.rejected",
        "住户认证未通过",
        f"{verification.room}：{reason}",
        link=resident_link("verifications", verification.pk),
        data={"verification": verification.pk},
        dedupe_key=f"verification:{verification.pk}:decided",
    )
    return verification


@transaction.atomic
def household_leave(*, user: User, room: Room) -> None:
    """Remove oneself from a household: the residency membership goes, the application is marked left."""
    membership = households.residency(user, room)
    if membership is None:
        raise NotFoundError()
    membership.delete()
    approved = Verification.objects.select_for_update().filter(
        user=user, room=room, status=Verification.Status.APPROVED
    )
    for verification in approved.order_by("pk"):
        transition(verification, Verification.Action.LEAVE, actor=user, locked=True)


def household_members(*, user: User, room: Room):
    """The members of a household, for its owner only."""
    membership = households.residency(user, room)
    if membership is None:
        raise NotFoundError()
    if membership.position != Relation.OWNER:
        raise ForbiddenError("只有业主可以查看家庭成员", code="not_household_owner")
    return households.household_members(room)
