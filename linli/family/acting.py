"""Acting on behalf of someone: the one mechanism every app uses (docs/api.md, "Acting for a family member").

A request to a normal endpoint may carry the query parameter `?on_behalf_of=<user id>`. The view asks

    acting = resolve(request, Permission.ACT_FOR)        # or resolve_beneficiary(request, …) for the user only
    order = services.order_place(buyer=acting.beneficiary, acted_by=acting.actor_or_none, …)
    # inside the service, which got acted_by:
    record_act(actor=acted_by, beneficiary=buyer, kind="market.order", obj=order, summary=f"下单 {order.number}")

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
from linli.notifications.services import notify

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
    if not user.is_authenticated:
        raise NotPermitted()
    binding = selectors.active_binding(member=user, principal=principal_id, permission=Permission(permission))
    if binding is None:
        raise NotPermitted()
    return Acting(actor=user, beneficiary=binding.principal, binding=binding)


def resolve_beneficiary(request, permission: str) -> User:
    """The user the request is for: the requester, or the `on_behalf_of` user (see `resolve`)."""
    return resolve(request, permission).beneficiary


def record_act(*, actor: User | None, beneficiary: User | int, kind: str, obj, summary: str) -> FamilyAct | None:
    """Add a write made for someone to the 代办记录 both people see, and tell the beneficiary. Call it
    inside the service's transaction with the service's `acted_by`; does nothing when `actor` is None
    or the beneficiary (a user or an id) themselves."""
    beneficiary_id = getattr(beneficiary, "pk", beneficiary)
    if actor is None or actor.pk == beneficiary_id:
        return None
    act = FamilyAct.objects.create(
        actor=actor,
        beneficiary_id=beneficiary_id,
        kind=kind,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        summary=summary[:200],
    )
    notify(
        User.objects.filter(pk=beneficiary_id, managed_elder__isnull=True),  # a managed elder has no inbox to read
        "family.act",
        "家属为你代办了一件事",
        f"{actor.display_name or '家属'}为你{summary}",
        data={"act": act.pk, "kind": kind},
    )
    return act


class ActingViewMixin:
    # A view whose actions take `?on_behalf_of=`. `acting_actions` maps each such action (the viewset
    # action, or the lower-case HTTP method of an APIView) to the permission it needs; another action
    # given the parameter is a 400. The parameter is resolved right after authentication, so a
    # refusal is 403 `not_permitted` before anything else is looked at. Querysets and services use
    # `self.beneficiary`; serializers find it in their context as "beneficiary". The schema lists the
    # parameter on exactly those actions (linli.api.schema asks `schema_parameters()`).

    acting_actions: dict[str, str] = {}

    def _acting_action(self) -> str:
        return getattr(self, "action", None) or self.request.method.lower()

    @property
    def acting(self) -> Acting:
        cached = self.__dict__.get("_acting")
        if cached is None:
            permission = self.acting_actions.get(self._acting_action())
            if permission is None:
                if requested_id(self.request) not in (None, self.request.user.pk):
                    raise field_error(PARAM, "此操作不能代办")
                cached = Acting(actor=self.request.user, beneficiary=self.request.user)
            else:
                cached = resolve(self.request, permission)
            self.__dict__["_acting"] = cached
        return cached

    @property
    def beneficiary(self) -> User:
        return self.acting.beneficiary

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated:
            self.acting  # noqa: B018 (resolve now: 403 before any lookup)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "_acting" in self.__dict__:
            context["beneficiary"] = self.beneficiary
        return context

    def schema_parameters(self) -> list:
        return [ON_BEHALF_OF] if self._acting_action() in self.acting_actions else []


def context_user(context: dict) -> User:
    """The user a serializer answers for: the beneficiary of `?on_behalf_of=`, else the requester."""
    return context.get("beneficiary") or context["request"].user
