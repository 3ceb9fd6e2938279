"""Family bindings: asked for by either side, answered by the other, ended by either; permissions set
by the principal (or the guardian of a managed elder); managed elders registered by community staff.

A request names the other side by phone number or user id and gets the same answer whether or not
anyone holds that number or id (like shops' invitations): until it is answered, the other side's user
field stays empty and the request is matched by `invitee_phone` / `invitee_ref`. Lock order: the
requester's user row (one request at a time per person), then the binding."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.accounts.selectors import community_ids_for
from linli.api.errors import ConflictError, ForbiddenError, NotFoundError, field_error
from linli.family import selectors
from linli.family.models import PERMISSION_FIELDS, FamilyBinding, ManagedElder, Permission
from linli.notifications.services import notify
from linli.regions.models import Community
from linli.workflow import check, record_step, refuse, transition

Action, Status, Side = FamilyBinding.Action, FamilyBinding.Status, FamilyBinding.Side


class BindingExists(ConflictError):
    code = "binding_exists"
    default_message = "你们之间已有亲情绑定或待确认的申请"


def _flags(permissions: dict | None) -> dict[str, bool]:
    permissions = permissions or {}
    return {name: bool(permissions.get(name, False)) for name in PERMISSION_FIELDS}


def _name(user: User | None) -> str:
    return (user.display_name or "家属") if user else "对方"


def _live_between(a: int, b: int, *, exclude: int | None = None) -> bool:
    pair = Q(principal_id=a, member_id=b) | Q(principal_id=b, member_id=a)
    qs = FamilyBinding.objects.filter(pair, status__in=FamilyBinding.LIVE)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


# --- requests -------------------------------------------------------------------------------------


@transaction.atomic
def family_binding_request(
    *,
    by: User,
    side: str,
    phone: str = "",
    user_ref: int | None = None,
    relation: str = "",
    permissions: dict | None = None,
) -> FamilyBinding:
    """`by` asks the holder of `phone` (or the user `user_ref`) to bind: as the principal (the elder
    asks a family member to look after them) or as the member (a family member asks to act for the
    elder). `permissions` are the ones proposed; the principal may change them at any time.

    The answer is the same whether or not the phone or id belongs to anyone."""
    if bool(phone) == (user_ref is not None):
        raise field_error("phone", "请填写对方手机号或用户 ID（二选一）")
    if (phone and phone == by.phone) or user_ref == by.pk:
        raise field_error("phone" if phone else "user", "不能与自己绑定")
    User.objects.select_for_update().filter(pk=by.pk).first()  # one request at a time per requester
    addressed = Q(invitee_phone=phone) if phone else Q(invitee_ref=user_ref)
    mine = Q(principal=by) | Q(member=by)
    if FamilyBinding.objects.filter(mine, addressed, status=Status.PENDING).exists():
        raise BindingExists("已向对方发出申请，请等待对方确认或先撤回")
    if user_ref is not None and _live_between(by.pk, user_ref):
        raise BindingExists()
    binding = FamilyBinding.objects.create(
        principal=by if side == Side.PRINCIPAL else None,
        member=by if side == Side.MEMBER else None,
        requested_by=by,
        requester_side=side,
        invitee_phone=phone,
        invitee_ref=user_ref,
        relation=relation,
        **_flags(permissions),
    )
    record_step(binding, Action.REQUEST, actor=by, from_status="", record={"permissions": binding.permissions()})
    # The inbox of whoever holds that number or id now (or the guardian of a managed elder); the
    # requester is never told whether anyone does.
    invitees = User.objects.filter(is_active=True).filter(
        Q(phone=phone) if phone else Q(pk=user_ref) | Q(pk__in=_guardian_ids(user_ref))
    )
    what = "请你作为家属代为办事" if side == Side.PRINCIPAL else "申请作为家属为你代办事务"
    notify(
        invitees,
        "family.binding.requested",
        "亲情账号绑定申请",
        f"{_name(by)}{what}，请在「亲情账号」中同意或拒绝。",
        data={"binding": binding.pk},
        dedupe_key=f"family-binding:{binding.pk}:requested",
    )
    return binding


def _guardian_ids(elder_id: int | None):
    return FamilyBinding.objects.filter(
        principal_id=elder_id, is_guardian=True, status=Status.ACCEPTED, principal__managed_elder__isnull=False
    ).values("member_id")


def _answering_for(binding: FamilyBinding, user: User) -> User:
    """Whom `user` answers a pending request for: themselves when it was addressed to them, or the
    managed elder they are the guardian of. Anyone else: 404 (not theirs to see)."""
    if binding.requested_by_id == user.pk or (binding.principal_id and binding.member_id):
        raise NotFoundError("申请不存在")
    if (user.phone and binding.invitee_phone == user.phone) or binding.invitee_ref == user.pk:
        return user
    if (
        binding.invitee_ref is not None
        and selectors.guarded_elder_ids(user)
        .filter(principal_id=binding.invitee_ref, principal__managed_elder__isnull=False)
        .exists()
    ):
        return User.objects.get(pk=binding.invitee_ref)
    raise NotFoundError("申请不存在")


def _locked(binding: FamilyBinding) -> FamilyBinding:
    return (
        FamilyBinding.objects.select_for_update(of=("self",)).select_related("principal", "member").get(pk=binding.pk)
    )


@transaction.atomic
def family_binding_accept(*, binding: FamilyBinding, by: User, permissions: dict | None = None) -> FamilyBinding:
    """The other side accepts: the binding is live at once. The principal accepting may set the
    permissions in the same step (`permissions`); a member accepting takes the ones proposed.
    Two accepts of the same request: the row lock lets the first win, the second is 409."""
    binding = _locked(binding)
    check(binding, Action.ACCEPT)
    answerer = _answering_for(binding, by)
    if answerer.pk == (binding.principal_id or binding.member_id):
        raise NotFoundError("申请不存在")
    if binding.requester_side == Side.PRINCIPAL:
        binding.member = answerer
    else:
        binding.principal = answerer
    if selectors.is_managed_elder(binding.member):
        raise ConflictError("托管老人不能作为家属", code="managed_elder_cannot_act")
    if _live_between(binding.principal_id, binding.member_id, exclude=binding.pk):
        raise BindingExists()
    if permissions is not None and binding.requester_side == Side.MEMBER:
        for name, value in _flags(permissions).items():
            setattr(binding, name, value)
    binding.responded_at = timezone.now()
    try:
        with transaction.atomic():
            # `changes` name every field set above, saved with the status under the row lock.
            transition(
                binding,
                Action.ACCEPT,
                actor=by,
                locked=True,
                record={"permissions": binding.permissions()},
                principal=binding.principal,
                member=binding.member,
                responded_at=binding.responded_at,
                **binding.permissions(),
            )
    except IntegrityError as exc:  # a concurrent accept of another request between the same two people
        raise BindingExists() from exc
    notify(
        binding.requested_by_id,
        "family.binding.accepted",
        "亲情账号已绑定",
        f"{_name(by)}已同意亲情账号绑定。",
        data={"binding": binding.pk},
        dedupe_key=f"family-binding:{binding.pk}:accepted",
    )
    return binding


@transaction.atomic
def family_binding_decline(*, binding: FamilyBinding, by: User) -> FamilyBinding:
    binding = _locked(binding)
    check(binding, Action.DECLINE)
    answerer = _answering_for(binding, by)
    side = {"member": answerer} if binding.requester_side == Side.PRINCIPAL else {"principal": answerer}
    transition(binding, Action.DECLINE, actor=by, locked=True, responded_at=timezone.now(), **side)
    notify(
        binding.requested_by_id,
        "family.binding.declined",
        "亲情账号申请被拒绝",
        "对方拒绝了你的亲情账号绑定申请。",
        data={"binding": binding.pk},
        dedupe_key=f"family-binding:{binding.pk}:declined",
    )
    return binding


@transaction.atomic
def family_binding_cancel(*, binding: FamilyBinding, by: User) -> FamilyBinding:
    """The requester withdraws a request not answered yet."""
    binding = _locked(binding)
    if binding.requested_by_id != by.pk:
        raise ForbiddenError("只有发起人可以撤回申请")
    transition(binding, Action.CANCEL, actor=by, locked=True)
    return binding


def _may_manage(binding: FamilyBinding, user: User) -> bool:
    """The principal, or the guardian of a managed-elder principal."""
    if binding.principal_id == user.pk:
        return True
    return (
        binding.principal_id is not None
        and selectors.guarded_elder_ids(user).filter(principal_id=binding.principal_id).exists()
    )


@transaction.atomic
def family_binding_end(*, binding: FamilyBinding, by: User, note: str = "") -> FamilyBinding:
    """Either side (or the guardian of a managed elder) ends a live binding: from this moment the
    member can no longer act for, see or be alerted about the principal."""
    binding = _locked(binding)
    if by.pk not in (binding.principal_id, binding.member_id) and not _may_manage(binding, by):
        raise NotFoundError("绑定不存在")
    transition(binding, Action.END, actor=by, locked=True, note=note, ended_at=timezone.now())
    other = binding.member_id if by.pk != binding.member_id else binding.principal_id
    notify(
        User.objects.filter(pk=other, managed_elder__isnull=True),
        "family.binding.ended",
        "亲情账号已解除",
        f"{_name(by)}解除了亲情账号绑定。",
        data={"binding": binding.pk},
        dedupe_key=f"family-binding:{binding.pk}:ended",
    )
    return binding


@transaction.atomic
def family_binding_set_permissions(*, binding: FamilyBinding, by: User, permissions: dict) -> FamilyBinding:
    """The principal (or the guardian of a managed elder) grants or withdraws permissions, effective at
    once. Fields left out keep their value."""
    binding = _locked(binding)
    if not _may_manage(binding, by):
        if by.pk in (binding.member_id, binding.requested_by_id):
            raise ForbiddenError("只有老人本人或其监护人可以设置权限")
        raise NotFoundError("绑定不存在")
    if binding.status not in FamilyBinding.LIVE:
        raise refuse(binding, "修改权限")
    changed = [n for n in PERMISSION_FIELDS if n in permissions and getattr(binding, n) != bool(permissions[n])]
    if not changed:
        return binding
    for name in changed:
        setattr(binding, name, bool(permissions[name]))
    binding.save(update_fields=[*changed, "updated_at"])
    granted = "、".join(Permission(n).label for n in PERMISSION_FIELDS if getattr(binding, n))
    note = f"权限：{granted or '无'}"
    record_step(binding, Action.SET_PERMISSIONS, actor=by, note=note, record={"permissions": binding.permissions()})
    if binding.member_id and binding.member_id != by.pk:
        notify(
            binding.member_id,
            "family.binding.permissions",
            "亲情账号权限已更新",
            f"{_name(binding.principal)}的亲情账号权限：{granted or '无'}。",
            data={"binding": binding.pk},
        )
    return binding


# --- managed elders -------------------------------------------------------------------------------


def _staff_community(staff: User, community_id: int) -> Community:
    if not (staff.is_superuser or community_id in community_ids_for(staff, Role.COMMUNITY_STAFF)):
        raise NotFoundError("社区不存在")
    return Community.objects.get(pk=community_id)


def _guardian_by_phone(phone: str) -> User:
    guardian = User.objects.filter(phone=phone, is_active=True).first()
    if guardian is None:
        raise field_error("guardian_phone", "该手机号尚未注册，请家属先登录小程序并绑定手机号")
    return guardian


def _appoint_guardian(*, elder: User, guardian: User, staff: User, relation: str) -> FamilyBinding:
    if _live_between(elder.pk, guardian.pk):
        raise BindingExists("该家属已与老人绑定")
    binding = FamilyBinding.objects.create(
        principal=elder,
        member=guardian,
        requested_by=staff,
        requester_side=Side.MEMBER,
        relation=relation,
        status=Status.ACCEPTED,
        is_guardian=True,
        responded_at=timezone.now(),
        **dict.fromkeys(PERMISSION_FIELDS, True),
    )
    record_step(
        binding,
        Action.APPOINT_GUARDIAN,
        actor=staff,
        from_status="",
        note="社区工作人员登记托管老人并指定监护人",
        record={"permissions": binding.permissions()},
    )
    notify(
        guardian,
        "family.binding.guardian",
        "你已成为托管老人的监护人",
        f"社区已登记{elder.display_name}，由你作为监护人代为办事、查看健康数据并接收告警。",
        data={"binding": binding.pk},
        dedupe_key=f"family-binding:{binding.pk}:guardian",
    )
    return binding


@transaction.atomic
def managed_elder_create(
    *,
    staff: User,
    community_id: int,
    display_name: str,
    birth_date,
    guardian_phone: str,
    relation: str = "",
    note: str = "",
) -> ManagedElder:
    """Community staff register an elder who has no phone or WeChat: an account that cannot log in,
    a resident of the community, and a guardian (an accepted binding with every permission)."""
    community = _staff_community(staff, community_id)
    guardian = _guardian_by_phone(guardian_phone)
    elder = User(username=f"managed-{secrets.token_hex(8)}", display_name=display_name, birth_date=birth_date)
    elder.set_unusable_password()
    elder.save()
    Membership.objects.create(user=elder, role=Role.RESIDENT, community=community, position="托管老人")
    managed = ManagedElder.objects.create(user=elder, community=community, created_by=staff, note=note)
    _appoint_guardian(elder=elder, guardian=guardian, staff=staff, relation=relation)
    return managed


@transaction.atomic
def managed_elder_set_guardian(
    *, managed: ManagedElder, staff: User, guardian_phone: str, relation: str = ""
) -> FamilyBinding:
    """Staff hand a managed elder to another guardian: the old guardian's binding ends."""
    _staff_community(staff, managed.community_id)
    guardian = _guardian_by_phone(guardian_phone)
    for old in FamilyBinding.objects.select_for_update().filter(
        principal=managed.user, is_guardian=True, status=Status.ACCEPTED
    ):
        if old.member_id == guardian.pk:
            raise BindingExists("该家属已是监护人")
        transition(old, Action.END, actor=staff, locked=True, note="更换监护人", ended_at=timezone.now())
    # A guardian who was an ordinary family member before becomes the guardian: that binding ends too.
    for old in FamilyBinding.objects.select_for_update().filter(
        principal=managed.user, member=guardian, status__in=FamilyBinding.LIVE
    ):
        action = Action.END if old.status == Status.ACCEPTED else Action.CANCEL
        transition(old, action, actor=staff, locked=True, note="改为监护人")
    return _appoint_guardian(elder=managed.user, guardian=guardian, staff=staff, relation=relation)
