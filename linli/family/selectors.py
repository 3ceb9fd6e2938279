"""Reads of family bindings, for this app's API and for every scenario app.

Scenario apps use these (never the tables):

* `alert_recipients(user)` — the family members who receive `user`'s alerts (abnormal vitals, SOS);
* `active_binding(member=, principal=, permission=)` — the accepted binding that lets `member` act;
* `principals_of(member, permission=)` — whom a family member may act for (for pickers);
* `is_managed_elder(user)` — a user registered by staff who cannot log in.

To act for someone inside a request use `linli.family.acting` instead.
"""

from django.db.models import Prefetch, Q, QuerySet

from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for
from linli.family.models import FamilyAct, FamilyBinding, FamilyBindingHistory, ManagedElder, Permission

Status = FamilyBinding.Status


def _with_people(qs: QuerySet[FamilyBinding]) -> QuerySet[FamilyBinding]:
    return qs.select_related("principal__managed_elder", "member", "requested_by")


def _asked_of(user: User) -> Q:
    """Pending requests addressed to `user` that nobody has answered yet: by their phone or their id."""
    addressed = Q(invitee_ref=user.pk)
    if user.phone:
        addressed |= Q(invitee_phone=user.phone)
    return Q(status=Status.PENDING) & addressed & (Q(principal__isnull=True) | Q(member__isnull=True))


def guarded_elder_ids(user: User) -> QuerySet:
    """Ids of the managed elders `user` is the guardian of."""
    return FamilyBinding.objects.filter(member=user, is_guardian=True, status=Status.ACCEPTED).values("principal_id")


def bindings_of(user: User) -> QuerySet[FamilyBinding]:
    """Every binding `user` is a side of (any status, for the history), the requests addressed to them,
    and the bindings of the managed elders they are the guardian of."""
    if not user.is_authenticated:
        return FamilyBinding.objects.none()
    guarded = guarded_elder_ids(user)
    asked_of_guarded = Q(status=Status.PENDING, principal__isnull=True, invitee_ref__in=guarded)
    mine = Q(principal=user) | Q(member=user) | _asked_of(user) | Q(principal_id__in=guarded) | asked_of_guarded
    return _with_people(FamilyBinding.objects.filter(mine))


def binding_detail_of(user: User) -> QuerySet[FamilyBinding]:
    """`bindings_of` with each binding's history (who did what), for the detail view."""
    history = FamilyBindingHistory.objects.select_related("actor").order_by("created_at", "id")
    return bindings_of(user).prefetch_related(Prefetch("history", queryset=history))


def active_binding(*, member: User | int, principal: User | int, permission: str | None = None) -> FamilyBinding | None:
    """The accepted binding that lets `member` act for `principal` (with `permission` granted), or None.
    One query; the principal must be an active account."""
    qs = FamilyBinding.objects.filter(
        member=member, principal=principal, status=Status.ACCEPTED, principal__is_active=True
    )
    if permission is not None:
        qs = qs.filter(**{Permission(permission).value: True})
    return qs.select_related("principal").first()


def principals_of(member: User, *, permission: str | None = None) -> QuerySet[User]:
    """The users `member` may act for (accepted bindings, with `permission` if given)."""
    bindings = FamilyBinding.objects.filter(member=member, status=Status.ACCEPTED)
    if permission is not None:
        bindings = bindings.filter(**{Permission(permission).value: True})
    return User.objects.filter(pk__in=bindings.values("principal_id"), is_active=True).order_by("pk")


def alert_recipients(user: User | int) -> QuerySet[User]:
    """The family members who hold "receive alerts" (接收告警) on an accepted binding to `user`: abnormal
    vitals (health) and SOS alarms (care) go to them as well as to the person and the professionals."""
    bindings = FamilyBinding.objects.filter(principal=user, status=Status.ACCEPTED, receive_alerts=True)
    return User.objects.filter(pk__in=bindings.values("member_id"), is_active=True).order_by("pk")


def is_managed_elder(user: User) -> bool:
    return ManagedElder.objects.filter(user=user).exists()


def managed_elders_for(staff: User) -> QuerySet[ManagedElder]:
    """The managed elders of the communities where `staff` is community staff (all for a superuser)."""
    guardians = FamilyBinding.objects.filter(is_guardian=True, status=Status.ACCEPTED).select_related("member")
    qs = ManagedElder.objects.select_related("user", "community", "created_by").prefetch_related(
        Prefetch("user__family_members", queryset=guardians, to_attr="guardian_bindings")
    )
    if staff.is_superuser:
        return qs
    return qs.filter(community_id__in=community_ids_for(staff, Role.COMMUNITY_STAFF))


def guardian_of(elder: User) -> FamilyBinding | None:
    return _with_people(FamilyBinding.objects.filter(principal=elder, is_guardian=True, status=Status.ACCEPTED)).first()


def acts_of(user: User) -> QuerySet[FamilyAct]:
    """代办记录: what `user` did for others, and what others did for `user`."""
    return FamilyAct.objects.filter(Q(actor=user) | Q(beneficiary=user)).select_related("actor", "beneficiary")
