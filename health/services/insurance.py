"""到家办: residents apply, community staff review (approve / reject / ask for more), with history."""

from django.db import transaction
from django.utils import timezone

from health.models import InsuranceApplication
from health.selectors import resident_communities
from health.services._common import own_uploads
from linli import workflow
from linli.accounts.models import Membership, Role, User
from linli.api.errors import DomainError, InvalidTransition
from linli.notifications.services import notify
from linli.regions.models import Community
from linli.workflow import record_step

Status = InsuranceApplication.Status
Action = InsuranceApplication.Action

_DECISION_TEXT = {
    "approve": ("申请已通过", "你的「{type}」申请已审核通过。"),
    "reject": ("申请未通过", "你的「{type}」申请未通过：{note}"),
    "request_info": ("请补充材料", "你的「{type}」申请需要补充材料：{note}"),
}


class NotAResident(DomainError):
    code = "not_a_resident"
    default_message = "请先完成住户认证"


@transaction.atomic
def application_create(
    *,
    applicant: User,
    type: str,
    details: str,
    attachment_ids: list[int] = (),
    community: Community | None = None,
) -> InsuranceApplication:
    """File an application with the community the applicant lives in (their resident membership)."""
    communities = list(resident_communities(applicant))
    if not communities:
        raise NotAResident()
    if community is None:
        if len(communities) > 1:
            raise DomainError(
                "你在多个社区认证，请选择社区", code="validation_error", fields={"community": ["请选择社区"]}
            )
        community = communities[0]
    elif community not in communities:
        raise DomainError("只能向你认证的社区申请", code="validation_error", fields={"community": ["不是你认证的社区"]})
    attachments = own_uploads(applicant, attachment_ids, field="attachments")
    application = InsuranceApplication.objects.create(
        applicant=applicant, community=community, type=type, details=details
    )
    application.attachments.set(attachments)
    record_step(application, Action.SUBMIT, actor=applicant, from_status="")
    staff = Membership.objects.filter(role=Role.COMMUNITY_STAFF, community=community).values_list("user_id", flat=True)
    notify(
        list(staff),
        "health.insurance.submitted",
        "新的医保事项申请",
        f"{community.name}有一件「{application.get_type_display()}」申请待审核。",
        data={"application": application.pk},
    )
    return application


def _apply(application: InsuranceApplication, action: str, *, actor: User, note: str = "", **changes):
    """`action` on the application, read again under its row lock (the caller's copy may be stale)."""
    application = InsuranceApplication.objects.select_for_update().get(pk=application.pk)
    workflow.transition(application, action, actor=actor, note=note, locked=True, **changes)
    return application


@transaction.atomic
def application_review(
    *, application: InsuranceApplication, reviewer: User, action: str, note: str = ""
) -> InsuranceApplication:
    """Staff decide: approve, reject (with a reason) or request_info (saying what is missing)."""
    if action in ("reject", "request_info") and not note.strip():
        raise DomainError("请填写意见", code="validation_error", fields={"note": ["请填写意见"]})
    changes = {"reviewer": reviewer}
    if action in ("approve", "reject"):
        changes["decided_at"] = timezone.now()
    application = _apply(application, action, actor=reviewer, note=note, **changes)
    title, body = _DECISION_TEXT[action]
    notify(
        application.applicant_id,
        f"health.insurance.{action}",
        title,
        body.format(type=application.get_type_display(), note=note),
        link=f"/pages/health/insurance?id={application.pk}",
        data={"application": application.pk},
    )
    return application


@transaction.atomic
def application_resubmit(
    *, application: InsuranceApplication, applicant: User, details: str = "", attachment_ids: list[int] = ()
) -> InsuranceApplication:
    """The applicant answers a request for more information; the application goes back to review."""
    if application.applicant_id != applicant.pk:
        raise InvalidTransition()
    attachments = own_uploads(applicant, attachment_ids, field="attachments")
    changes = {"details": details} if details.strip() else {}
    application = _apply(application, Action.RESUBMIT, actor=applicant, note="已补充材料", **changes)
    if attachments:
        application.attachments.add(*attachments)
    if application.reviewer_id:
        notify(
            application.reviewer_id,
            "health.insurance.resubmitted",
            "申请已补充材料",
            f"「{application.get_type_display()}」申请已补充材料，请继续审核。",
            data={"application": application.pk},
        )
    return application
