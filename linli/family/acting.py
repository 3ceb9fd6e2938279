"""Acting on behalf of someone: the one mechanism every app uses (docs/api.md, "Acting for a family member").

A request to a normal endpoint may carry the query parameter `?on_behalf_of=<user id>`. The view asks

    acting = resolve(request, Permission.ACT_FOR)        # or resolve_beneficiary(request, …) for the user only
    order = services.order_place(buyer=acting.beneficiary, acted_by=acting.actor_or_none, …)
    record_act(acting, kind="market.order", obj=order, summary=f"下单 {order.number}")

Without the parameter the beneficiary is the requester. With it, the requester must hold an accepted
binding to that user with the permission; otherwise 403 `not_permitted` — the same answer for an
unknown id, an unbound user and a missing permission, so nobody learns who exists or who is bound.
Lists and reads use the same parameter: `GET …?on_behalf_of=7` shows user 7's rows.

The service records the requester as the actor (an `acted_by` field on the object and the actor of
its workflow history row); `record_act` adds the step to the 代办记录 both people see
(`GET /api/v1/family/acts/`).
"""

from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from linli.accounts.models import User
from linli.api.errors import ForbiddenError, field_error
from linli.family import selectors
from linli.family.models import FamilyAct, FamilyBinding, Permission

PARAM = "on_behalf_of"

ON_BEHALF_OF = OpenApiParameter(
    PARAM,
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=(
        "亲情账号代办：以该用户（老人）的身份操作或查看。需要已同意的亲情绑定且有相应权限"
        "（代办 act_for / 查看健康数据 view_health），否则 403 `not_permitted`。"
    ),
)


class NotPermitted(ForbiddenError):
    code = "not_permitted"
    default_message = "没有代该用户办理此事的权限"


@dataclass(frozen=True)
class Acting:
    """Who is asking (`actor`), for whom (`beneficiary`), through which binding (None: for themselves)."""

    actor: User
    beneficiary: User
    binding: FamilyBinding | None = None

    @property
    def on_behalf(self) -> bool:
        return self.binding is not None

    @property
    def actor_or_none(self) -> User | None:
        """The family member when acting for someone, else None: the value of an `acted_by` field."""
        return self.actor if self.on_behalf else None


def requested_id(request) -> int | None:
    """The `on_behalf_of` query parameter as a user id; None when absent; 400 when not an id."""
    params = getattr(request, "query_params", request.GET)
    raw = params.get(PARAM)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise field_error(PARAM, "请填写用户 ID") from None
    if value <= 0 or value > 2**62:
        raise field_error(PARAM, "请填写用户 ID")
    return value


def resolve(request, permission: str) -> Acting:
    """The requester acting for themselves, or for the `on_behalf_of` user if an accepted binding grants
    `permission` (a `Permission` value); otherwise 403 `not_permitted`. One query when acting for someone."""
    user = request.user
    principal_id = requested_id(request)
    if principal_id is None or principal_id == user.pk:
        return Acting(actor=user, beneficiary=user)
    binding = selectors.active_binding(member=user, principal=principal_id, permission=Permission(permission))
    if binding is None:
        raise NotPermitted()
    return Acting(actor=user, beneficiary=binding.principal, binding=binding)


def resolve_beneficiary(request, permission: str) -> User:
    """The user the request is for: the requester, or the `on_behalf_of` user (see `resolve`)."""
    return resolve(request, permission).beneficiary


def record_act(acting: Acting, *, kind: str, obj, summary: str) -> FamilyAct | None:
    """Add the write to the 代办记录 of both people when it was made for someone; call it inside the
    service's transaction or right after it. Does nothing when the requester acted for themselves."""
    if not acting.on_behalf:
        return None
    return FamilyAct.objects.create(
        actor=acting.actor,
        beneficiary=acting.beneficiary,
        binding=acting.binding,
        kind=kind,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        summary=summary[:200],
    )
