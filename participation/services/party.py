"""Party members: a resident registers in one of their communities (one active registration at a
time, decided by the partial unique constraint), community staff confirm, reject or revoke it; a
confirmed 在职党员 reports (党员报到) to a community they live in, once per community."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.api.errors import ConflictError, NotFoundError, field_error
from linli.regions.models import Community
from linli.workflow import record_step, transition
from participation.models import PartyMember, PartyReport


class AlreadyRegistered(ConflictError):
    code = "already_registered"
    default_message = "您已登记党员信息（待确认或已确认）"


class AlreadyReported(ConflictError):
    code = "already_reported"
    default_message = "您已向该社区报到"


@transaction.atomic
def party_member_register(
    *,
    user: User,
    community: Community,
    kind: str,
    organisation: str,
    joined_on: date,
    workplace: str = "",
) -> PartyMember:
    """A resident of `community` registers as a party member; it waits for the community staff."""
    if community.pk not in community_ids_for(user, Role.RESIDENT):
        raise NotFoundError("社区不存在")
    if not organisation.strip():
        raise field_error("organisation", "请填写所在党组织")
    if joined_on > timezone.localdate():
        raise field_error("joined_on", "入党日期不能晚于今天")
    if kind == PartyMember.Kind.WORKPLACE and not workplace.strip():
        raise field_error("workplace", "在职党员请填写工作单位")
    try:
        with transaction.atomic():  # a concurrent second registration loses here
            member = PartyMember.objects.create(
                user=user,
                community=community,
                kind=kind,
                organisation=organisation.strip(),
                joined_on=joined_on,
                workplace=workplace.strip(),
            )
    except IntegrityError:
        raise AlreadyRegistered() from None
    record_step(member, PartyMember.Action.REGISTER, actor=user, note="居民登记", from_status="")
    return member


@transaction.atomic
def party_member_confirm(*, member: PartyMember, actor: User, note: str = "") -> PartyMember:
    transition(member, PartyMember.Action.CONFIRM, actor=actor, note=note)
    return member


@transaction.atomic
def party_member_reject(*, member: PartyMember, actor: User, reason: str) -> PartyMember:
    if not reason.strip():
        raise field_error("reason", "请填写驳回原因")
    transition(member, PartyMember.Action.REJECT, actor=actor, note=reason)
    return member


@transaction.atomic
def party_member_revoke(*, member: PartyMember, actor: User, reason: str) -> PartyMember:
    if not reason.strip():
        raise field_error("reason", "请填写撤销原因")
    transition(member, PartyMember.Action.REVOKE, actor=actor, note=reason)
    return member


@transaction.atomic
def party_report_create(
    *, member: PartyMember, community: Community, reported_on: date | None = None, workplace: str = "", note: str = ""
) -> PartyReport:
    """党员报到: a confirmed 在职党员 reports to a community where they are a resident."""
    if community.pk not in community_ids_for(member.user, Role.RESIDENT):
        raise NotFoundError("社区不存在")
    member = PartyMember.objects.select_for_update().get(pk=member.pk)  # a revocation waits, or wins
    if member.status != PartyMember.Status.CONFIRMED:
        raise ConflictError("党员信息确认后才能报到", code="member_not_confirmed")
    if member.kind != PartyMember.Kind.WORKPLACE:
        raise ConflictError("社区党员无需报到，在职党员向居住社区报到", code="not_workplace_member")
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise field_error("reported_on", "报到日期不能晚于今天")
    try:
        with transaction.atomic():
            return PartyReport.objects.create(
                member=member,
                community=community,
                reported_on=reported_on,
                workplace=(workplace or member.workplace).strip(),
                note=note.strip(),
            )
    except IntegrityError:
        raise AlreadyReported() from None
