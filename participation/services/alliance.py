"""The alliance: units join (their contacts get the scoped role `alliance_member`), units publish
resources, the community publishes needs, staff match a need with resources into a project and
carry it through planned → in progress → completed (with an outcome report) or cancelled."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from linli.accounts.models import Membership, Role, User
from linli.api.errors import ConflictError, field_error
from linli.regions.models import Community
from linli.workflow import record_step, transition
from participation.models import Alliance, AllianceUnit, Need, Project, Resource


def _covers(alliance: Alliance, community: Community) -> bool:
    return alliance.community_id == community.pk or alliance.street_id == community.street_id


# --- units ------------------------------------------------------------------------------------


@transaction.atomic
def unit_contact_add(*, unit: AllianceUnit, user: User) -> Membership:
    """Make `user` a contact of `unit`: the role 共建单位联络人 scoped to the unit (get or create)."""
    membership, _ = Membership.objects.get_or_create(
        user=user,
        role=Role.ALLIANCE_MEMBER,
        scope_type=ContentType.objects.get_for_model(AllianceUnit),
        scope_id=unit.pk,
        defaults={"community_id": unit.alliance.community_id, "street_id": unit.alliance.street_id},
    )
    return membership


@transaction.atomic
def unit_contact_remove(*, unit: AllianceUnit, user: User) -> int:
    deleted, _ = Membership.objects.filter(
        user=user,
        role=Role.ALLIANCE_MEMBER,
        scope_type=ContentType.objects.get_for_model(AllianceUnit),
        scope_id=unit.pk,
    ).delete()
    return deleted


# --- resources ---------------------------------------------------------------------------------

_RESOURCE_FIELDS = ("kind", "title", "description", "availability", "available_from", "available_until", "quantity")


def _check_dates(available_from, available_until):
    if available_from and available_until and available_until < available_from:
        raise field_error("available_until", "截止日期不能早于起始日期")


@transaction.atomic
def resource_create(*, unit: AllianceUnit, publish: bool = True, **fields) -> Resource:
    """A unit offers a resource (published at once unless `publish=False`)."""
    if not unit.is_active:
        raise ConflictError("该单位已退出联盟", code="unit_inactive")
    _check_dates(fields.get("available_from"), fields.get("available_until"))
    status = Resource.Status.PUBLISHED if publish else Resource.Status.DRAFT
    values = {k: v for k, v in fields.items() if k in _RESOURCE_FIELDS}
    return Resource.objects.create(unit=unit, status=status, **values)


@transaction.atomic
def resource_update(*, resource: Resource, **fields) -> Resource:
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    for name, value in fields.items():
        if name in _RESOURCE_FIELDS:
            setattr(resource, name, value)
    _check_dates(resource.available_from, resource.available_until)
    resource.save()
    return resource


@transaction.atomic
def resource_set_published(*, resource: Resource, published: bool) -> Resource:
    """Publish a draft or withdrawn resource, or withdraw a published one (projects keep using it)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.status = Resource.Status.PUBLISHED if published else Resource.Status.WITHDRAWN
    resource.save(update_fields=["status", "updated_at"])
    return resource


# --- needs -------------------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *, alliance: Alliance, community: Community, title: str, actor: User, kind: str = "", description: str = ""
) -> Need:
    if not _covers(alliance, community):
        raise field_error("community", "该社区不在此联盟范围内")
    if not title.strip():
        raise field_error("title", "请填写需求")
    return Need.objects.create(
        alliance=alliance,
        community=community,
        kind=kind,
        title=title.strip(),
        description=description,
        created_by=actor,
    )


@transaction.atomic
def need_close(*, need: Need) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status == Need.Status.CLOSED:
        raise ConflictError("需求已关闭", code="need_closed")
    need.status = Need.Status.CLOSED
    need.save(update_fields=["status", "updated_at"])
    return need


# --- projects ----------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    need: Need,
    resources: list[Resource],
    title: str,
    starts_on: date,
    ends_on: date,
    actor: User,
    plan: str = "",
) -> Project:
    """Match an open (or already matched) need with one or more published resources of its alliance."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status == Need.Status.CLOSED:
        raise ConflictError("需求已关闭，不能立项", code="need_closed")
    if not resources:
        raise field_error("resources", "请至少选择一项资源")
    for resource in resources:
        if resource.unit.alliance_id != need.alliance_id:
            raise field_error("resources", f"资源「{resource.title}」不属于该联盟")
        if resource.status != Resource.Status.PUBLISHED:
            raise field_error("resources", f"资源「{resource.title}」未发布")
    if ends_on < starts_on:
        raise field_error("ends_on", "结束日期不能早于开始日期")
    project = Project.objects.create(
        alliance_id=need.alliance_id,
        community_id=need.community_id,
        need=need,
        title=title.strip() or need.title,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    project.resources.set(resources)
    if need.status == Need.Status.OPEN:
        need.status = Need.Status.MATCHED
        need.save(update_fields=["status", "updated_at"])
    record_step(project, Project.Action.CREATE, actor=actor, note="对接立项", from_status="")
    return project


@transaction.atomic
def project_start(*, project: Project, actor: User, note: str = "") -> Project:
    transition(project, Project.Action.START, actor=actor, note=note)
    return project


@transaction.atomic
def project_complete(
    *, project: Project, actor: User, outcome: str, beneficiaries: int | None = None, completed_on: date | None = None
) -> Project:
    """Close a project in progress with its outcome report (成效报告)."""
    if not outcome.strip():
        raise field_error("outcome", "请填写成效报告")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise field_error("completed_on", "完成日期不能晚于今天")
    transition(
        project,
        Project.Action.COMPLETE,
        actor=actor,
        note=outcome,
        outcome=outcome.strip(),
        beneficiaries=beneficiaries,
        completed_on=completed_on,
    )
    return project


@transaction.atomic
def project_cancel(*, project: Project, actor: User, reason: str) -> Project:
    if not reason.strip():
        raise field_error("reason", "请填写取消原因")
    transition(project, Project.Action.CANCEL, actor=actor, note=reason)
    return project
