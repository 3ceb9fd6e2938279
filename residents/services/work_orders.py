"""The work-order loop: submit, assign, start, resolve, confirm or reopen, cancel, follow up; the
SLA sweeps (auto-close, escalation). Each step writes a history row and tells the other side."""

from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.api.errors import ConflictError, ForbiddenError, InvalidTransition, NotFoundError
from linli.api.errors import field_error as _field_error
from linli.family.acting import record_act
from linli.notifications.services import notify
from linli.points.earning import points_earn
from linli.points.models import EarningRuleKey
from linli.regions import households
from linli.regions.models import Community, Room
from linli.uploads.models import Upload
from linli.uploads.selectors import own_uploads
from linli.uploads.services import attachments_set
from linli.workflow import check, record_step, transition
from residents import metrics, selectors
from residents.models import WorkOrder, WorkOrderCategory, WorkOrderHistory
from residents.services._common import resident_link

AUTO_CLOSE_AFTER = timedelta(days=7)
MAX_PHOTOS = 9

Status = WorkOrder.Status
Action = WorkOrder.Action


# --- work orders: the timeline --------------------------------------------------------------------


def _lock(work_order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().get(pk=work_order.pk)


def _since_previous(work_order: WorkOrder) -> dict:
    """The timeline's extra field: seconds since the previous step (since filing, for the first)."""
    previous = work_order.history.order_by("-created_at", "-id").values_list("created_at", flat=True).first()
    since = previous or work_order.created_at
    return {"duration_seconds": max(0, int((timezone.now() - since).total_seconds()))}


def work_order_transition(
    *, work_order: WorkOrder, action: str, actor: User | None, note: str = "", **changes
) -> tuple[WorkOrder, WorkOrderHistory]:
    """Apply `action` to an order the caller locked (`WorkOrder.workflow`): status, `changes`, timeline row."""
    step = transition(
        work_order, action, actor=actor, note=note, record=_since_previous(work_order), locked=True, **changes
    )
    if work_order.status in (Status.CLOSED, Status.CANCELLED):
        metrics.count_work_order(work_order.status, work_order.kind)
    return work_order, step


def _tell(recipients, work_order: WorkOrder, event: WorkOrderHistory, title: str, body: str, *, staff: bool) -> None:
    link = f"/staff/work-orders/{work_order.pk}" if staff else resident_link("work-orders", work_order.pk)
    notify(
        recipients,
        f"work_order.{event.action}",
        title,
        body,
        link=link,
        data={"work_order": work_order.pk, "status": work_order.status},
        dedupe_key=f"work_order:{work_order.pk}:event:{event.pk}",
    )


def _handlers(work_order: WorkOrder):
    """Who works the order now: its assignee, else every property manager of the community."""
    if work_order.assignee_id:
        return [work_order.assignee_id]
    return selectors.property_managers_of(work_order.community_id)


def _require_staff(actor: User, work_order: WorkOrder) -> None:
    if not (actor.is_superuser or selectors.is_staff_of(actor, work_order.community_id)):
        raise NotFoundError()


def _require_property_manager(actor: User, work_order: WorkOrder) -> None:
    _require_staff(actor, work_order)
    if not (actor.is_superuser or selectors.is_property_manager(actor, work_order.community_id)):
        raise ForbiddenError("只有本社区物业可以处理工单")


def _require_reporter(actor: User, work_order: WorkOrder) -> None:
    if work_order.reporter_id != actor.pk:
        raise NotFoundError()


# --- work orders: use cases ----------------------------------------------------------------------


def _only_home(reporter: User, community: Community | None) -> Room | None:
    homes = list(households.households_of(reporter)[:2])
    if len(homes) != 1:
        return None
    home = homes[0]
    if community is not None and home.building.estate.community_id != community.pk:
        return None
    return home


@transaction.atomic
def work_order_submit(
    *,
    reporter: User,
    kind: str,
    category: WorkOrderCategory,
    description: str,
    room: Room | None = None,
    community: Community | None = None,
    location: str = "",
    photos: Sequence[Upload] = (),
    preferred_time=None,
    contact_phone: str = "",
    channel: str = WorkOrder.Channel.SELF,
    filed_by: User | None = None,
    acted_by: User | None = None,
) -> WorkOrder:
    """File an order. Residents file their own (channel self); staff file on a resident's behalf.

    `acted_by` is the family member filing for the resident (亲情账号, checked by the view): channel family.
    `photos` are uploads of whoever files it (the resident, the family member or the staff member).
    Without a room, a reporter with exactly one verified home files it for that home (when it is in
    `community`, if one is given); with none or several the order has no room.
    """
    photos = own_uploads(filed_by or acted_by or reporter, photos, field="photos")
    if acted_by is not None:
        channel = WorkOrder.Channel.FAMILY
    if len(photos) > MAX_PHOTOS:
        raise _field_error("photos", f"最多 {MAX_PHOTOS} 张照片")
    if not category.is_active:
        raise _field_error("category", "该分类已停用")
    if room is None:
        room = _only_home(reporter, community)
    if room is not None:
        if households.residency(reporter, room) is None:
            raise _field_error("room", "只能为自己认证的房屋报修")
        room_community = households.room_community_id(room)
        if community is not None and community.pk != room_community:
            raise _field_error("community", "房屋不属于该社区")
        community_id = room_community
    elif community is not None:
        community_id = community.pk
    else:
        communities = sorted(selectors.community_ids_for_resident(reporter))
        if len(communities) != 1:
            raise _field_error("community", "请选择社区或房屋")
        community_id = communities[0]
    if not selectors.is_verified_resident(reporter, community_id):
        if filed_by is None:
            raise ForbiddenError("只有本社区认证住户可以提交工单", code="not_verified_resident")
        raise _field_error("reporter", "该居民不是本社区认证住户")
    if filed_by is not None and not (filed_by.is_superuser or selectors.is_staff_of(filed_by, community_id)):
        raise _field_error("community", "只能为本社区居民代办")

    now = timezone.now()
    work_order = WorkOrder.objects.create(
        community_id=community_id,
        reporter=reporter,
        room=room,
        channel=channel,
        filed_by=filed_by,
        acted_by=acted_by,
        kind=kind,
        category=category,
        description=description,
        location=location,
        preferred_time=preferred_time,
        contact_phone=contact_phone,
        response_due_at=now + category.response_time,
        resolution_due_at=now + category.resolution_time,
    )
    attachments_set(work_order, "photos", photos)
    agent = filed_by or acted_by
    note = "" if agent is None else f"{agent}代办（{work_order.get_channel_display()}）"
    event = record_step(work_order, Action.SUBMIT, actor=agent or reporter, note=note, from_status="")
    metrics.count_work_order("opened", work_order.kind)
    summary = f"{work_order.category}：{description[:60]}"
    record_act(
        actor=acted_by,
        beneficiary=reporter,
        kind="residents.work_order",
        obj=work_order,
        summary=f"提交{work_order.get_kind_display()}「{summary}」",
    )
    _tell(
        selectors.property_managers_of(community_id),
        work_order,
        event,
        f"新{work_order.get_kind_display()}",
        summary,
        staff=True,
    )
    if filed_by is not None:
        _tell(reporter, work_order, event, "工作人员已为您登记工单", summary, staff=False)
    return work_order


@transaction.atomic
def work_order_assign(*, work_order: WorkOrder, actor: User, assignee: User, reason: str = "") -> WorkOrder:
    """Dispatch to a handler (a property manager of the community), or transfer it with a reason."""
    work_order = _lock(work_order)
    _require_staff(actor, work_order)
    check(work_order, Action.ASSIGN)
    if not (assignee.is_active and selectors.is_property_manager(assignee, work_order.community_id)):
        raise _field_error("assignee", "处理人必须是本社区的物业人员")
    transfer = work_order.assignee_id is not None and work_order.status != Status.SUBMITTED
    if transfer and assignee.pk == work_order.assignee_id:
        raise ConflictError("工单已由该处理人负责", code="already_assigned")
    if transfer and not reason.strip():
        raise _field_error("reason", "转派请填写原因")
    previous = work_order.assignee
    now = timezone.now()
    note = f"转派：{previous} → {assignee}。{reason}" if transfer else (reason or f"派单给 {assignee}")
    work_order, event = work_order_transition(
        work_order=work_order,
        action=Action.ASSIGN,
        actor=actor,
        note=note,
        assignee=assignee,
        responded_at=work_order.responded_at or now,
    )
    _tell(assignee, work_order, event, "您有新的工单", f"#{work_order.pk} {work_order.category}", staff=True)
    if previous is not None and previous.pk != assignee.pk:
        _tell(previous, work_order, event, "工单已转派", f"#{work_order.pk} 已转派给 {assignee}", staff=True)
    _tell(
        work_order.reporter_id,
        work_order,
        event,
        "工单已派单",
        f"您的{work_order.get_kind_display()}已由 {assignee} 负责",
        staff=False,
    )
    return work_order


@transaction.atomic
def work_order_start(*, work_order: WorkOrder, actor: User, note: str = "") -> WorkOrder:
    work_order = _lock(work_order)
    _require_property_manager(actor, work_order)
    work_order, event = work_order_transition(work_order=work_order, action=Action.START, actor=actor, note=note)
    _tell(work_order.reporter_id, work_order, event, "工单处理中", f"{actor} 已开始处理您的工单", staff=False)
    return work_order


@transaction.atomic
def work_order_resolve(*, work_order: WorkOrder, actor: User, note: str, photos: Sequence[Upload] = ()) -> WorkOrder:
    """`photos`: the handler's own uploads, before/after; they replace those of an earlier resolution."""
    photos = own_uploads(actor, photos, field="photos")
    if len(photos) > MAX_PHOTOS:
        raise _field_error("photos", f"最多 {MAX_PHOTOS} 张照片")
    work_order = _lock(work_order)
    _require_property_manager(actor, work_order)
    work_order, event = work_order_transition(
        work_order=work_order,
        action=Action.RESOLVE,
        actor=actor,
        note=note,
        resolution_note=note,
        resolved_at=timezone.now(),
    )
    attachments_set(work_order, "resolution_photos", photos)
    _tell(
        work_order.reporter_id,
        work_order,
        event,
        "工单已处理，请确认",
        f"{note[:80]}（{AUTO_CLOSE_AFTER.days} 天内未确认将自动办结）",
        staff=False,
    )
    return work_order


@transaction.atomic
def work_order_confirm(*, work_order: WorkOrder, actor: User, rating: int, comment: str = "") -> WorkOrder:
    if not 1 <= rating <= 5:
        raise _field_error("rating", "评分为 1 到 5")
    work_order = _lock(work_order)
    _require_reporter(actor, work_order)
    work_order, event = work_order_transition(
        work_order=work_order,
        action=Action.CONFIRM,
        actor=actor,
        note=f"{rating} 星。{comment}".strip(),
        rating=rating,
        rating_comment=comment,
        closed_at=timezone.now(),
    )
    # Rating closes the loop: the rule (积分规则「评价工单」) decides the points, once per work order.
    points_earn(
        user=work_order.reporter,
        rule=EarningRuleKey.WORK_ORDER_RATED,
        community=work_order.community,
        source=work_order,
    )
    _tell(_handlers(work_order), work_order, event, "居民已确认办结", f"#{work_order.pk} 评分 {rating} 星", staff=True)
    return work_order


@transaction.atomic
def work_order_reopen(*, work_order: WorkOrder, actor: User, reason: str) -> WorkOrder:
    """Not fixed: back to the same handler, with a fresh resolution deadline."""
    work_order = _lock(work_order)
    _require_reporter(actor, work_order)
    work_order, event = work_order_transition(
        work_order=work_order,
        action=Action.REOPEN,
        actor=actor,
        note=reason,
        resolved_at=None,
        reopen_count=work_order.reopen_count + 1,
        resolution_due_at=timezone.now() + work_order.category.resolution_time,
    )
    _tell(_handlers(work_order), work_order, event, "工单被退回重新处理", f"#{work_order.pk}：{reason}", staff=True)
    return work_order


@transaction.atomic
def work_order_cancel(
    *, work_order: WorkOrder, actor: User, reason: str = "", acted_by: User | None = None
) -> WorkOrder:
    """The reporter withdraws it (`actor`); `acted_by`: the family member withdrawing it for them."""
    work_order = _lock(work_order)
    _require_reporter(actor, work_order)
    work_order, event = work_order_transition(
        work_order=work_order, action=Action.CANCEL, actor=acted_by or actor, note=reason, closed_at=timezone.now()
    )
    record_act(
        actor=acted_by,
        beneficiary=actor,
        kind="residents.work_order_cancel",
        obj=work_order,
        summary=f"撤销工单 #{work_order.pk}",
    )
    _tell(
        _handlers(work_order),
        work_order,
        event,
        "居民已撤销工单",
        f"#{work_order.pk} {work_order.category}",
        staff=True,
    )
    return work_order


@transaction.atomic
def work_order_follow_up(*, work_order: WorkOrder, actor: User, note: str) -> WorkOrder:
    """回访: staff call the resident back after the order is closed and record what they said."""
    work_order = _lock(work_order)
    _require_staff(actor, work_order)
    if work_order.status != Status.CLOSED:
        raise InvalidTransition("只有已办结的工单可以回访")
    work_order.follow_up_note = note
    work_order.followed_up_at = timezone.now()
    work_order.followed_up_by = actor
    work_order.save(update_fields=["follow_up_note", "followed_up_at", "followed_up_by", "updated_at"])
    record_step(work_order, Action.FOLLOW_UP, actor=actor, note=note, record=_since_previous(work_order))
    return work_order


def work_order_auto_close(*, work_order_id: int, now=None) -> bool:
    """Close one resolved order the resident left unanswered for 7 days (not rated). Re-checks under lock."""
    now = now or timezone.now()
    with transaction.atomic():
        work_order = WorkOrder.objects.select_for_update().filter(pk=work_order_id).first()
        if work_order is None or work_order.status != Status.RESOLVED:
            return False
        if work_order.resolved_at is None or work_order.resolved_at > now - AUTO_CLOSE_AFTER:
            return False
        work_order, event = work_order_transition(
            work_order=work_order,
            action=Action.AUTO_CLOSE,
            actor=None,
            note=f"居民 {AUTO_CLOSE_AFTER.days} 天未确认，系统自动办结（未评价）",
            auto_closed=True,
            closed_at=now,
        )
        body = f"#{work_order.pk} {work_order.category} 已自动办结"
        _tell(work_order.reporter_id, work_order, event, "工单已自动办结", body, staff=False)
        _tell(_handlers(work_order), work_order, event, "工单已自动办结", body, staff=True)
        return True


def work_orders_auto_close_due(*, now=None) -> int:
    """Beat: close every resolved order past the 7-day window, each in its own transaction."""
    now = now or timezone.now()
    due = WorkOrder.objects.filter(status=Status.RESOLVED, resolved_at__lte=now - AUTO_CLOSE_AFTER).values_list(
        "pk", flat=True
    )
    return sum(work_order_auto_close(work_order_id=pk, now=now) for pk in list(due))


def work_order_escalate(*, work_order_id: int, now=None) -> bool:
    """Tell the community staff about one overdue order, once. Re-checks under lock."""
    now = now or timezone.now()
    with transaction.atomic():
        work_order = (
            WorkOrder.objects.select_for_update()
            .filter(selectors.overdue_condition(now), pk=work_order_id, escalated_at__isnull=True)
            .first()
        )
        if work_order is None:
            return False
        work_order.escalated_at = now
        work_order.save(update_fields=["escalated_at", "updated_at"])
        late = "响应" if work_order.status == Status.SUBMITTED and work_order.response_due_at < now else "办结"
        event = record_step(
            work_order, Action.ESCALATE, actor=None, note=f"超过{late}时限", record=_since_previous(work_order)
        )
        _tell(
            selectors.community_staff_of(work_order.community_id),
            work_order,
            event,
            "工单超时提醒",
            f"#{work_order.pk} {work_order.category}（{work_order.get_status_display()}）已超过{late}时限",
            staff=True,
        )
        return True


def work_orders_escalate_overdue(*, now=None) -> int:
    """Beat: escalate every overdue order not escalated yet."""
    now = now or timezone.now()
    due = WorkOrder.objects.filter(selectors.overdue_condition(now), escalated_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(work_order_escalate(work_order_id=pk, now=now) for pk in list(due))
