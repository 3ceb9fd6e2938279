"""Careful reads of home care: who works for which provider, and every list scoped to its reader."""

from django.db.models import Prefetch, QuerySet

from care.models import (
    CareOrder,
    CareOrderHistory,
    CareOrderPhoto,
    CareService,
    Provider,
    ProviderPosition,
    SubsidyAccount,
    SubsidyEntry,
    Visit,
    VisitPlan,
)
from linli.accounts.models import Membership, Role, User
from linli.accounts.selectors import community_ids_for
from linli.regions.households import households_of
from linli.regions.models import Room
from linli.uploads.selectors import attachments

# Lazy (a join, not a content-type lookup now): querysets built from it run no query until used.
_PROVIDER_SCOPE = {"scope_type__app_label": "care", "scope_type__model": "provider"}


# --- providers and their people --------------------------------------------------------------


def provider_memberships(user: User, *, position: str | None = None) -> QuerySet[Membership]:
    """The user's care memberships (`Membership(role=CARE_WORKER, scope=<Provider>)`)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    qs = Membership.objects.filter(user=user, role=Role.CARE_WORKER, **_PROVIDER_SCOPE)
    return qs.filter(position=position) if position else qs


def managed_provider_ids(user: User) -> QuerySet:
    """Ids of the providers the user manages (dispatches for), lazily as a subquery."""
    return provider_memberships(user, position=ProviderPosition.MANAGER).values("scope_id")


def worker_provider_ids(user: User) -> QuerySet:
    """Ids of the providers the user works for (any position), lazily as a subquery."""
    return provider_memberships(user).values("scope_id")


def provider_staff(provider_id: int, *, position: str | None = None) -> QuerySet[Membership]:
    qs = Membership.objects.filter(role=Role.CARE_WORKER, scope_id=provider_id, **_PROVIDER_SCOPE)
    if position:
        qs = qs.filter(position=position)
    return qs.select_related("user").order_by("position", "id")


def is_worker_of(user: User, provider_id: int) -> bool:
    return provider_memberships(user).filter(scope_id=provider_id).exists()


def providers_managed_by(user: User) -> QuerySet[Provider]:
    return Provider.objects.filter(pk__in=managed_provider_ids(user)).order_by("name")


def community_staff_of(community_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__role=Role.COMMUNITY_STAFF, memberships__community_id=community_id, is_active=True
    ).distinct()


def staff_community_ids(user: User) -> set[int]:
    return community_ids_for(user, Role.COMMUNITY_STAFF)


# --- homes ----------------------------------------------------------------------------------------


def home_of(elder: User, community_id: int) -> Room | None:
    """The elder's verified household in that community (the oldest, when several): where services go."""
    return households_of(elder).filter(building__estate__community_id=community_id).order_by("since", "pk").first()


# --- catalogue ------------------------------------------------------------------------------------


def catalogue() -> QuerySet[CareService]:
    return CareService.objects.filter(is_active=True, provider__is_active=True).select_related("provider", "community")


# --- orders ----------------------------------------------------------------------------------------


def _orders() -> QuerySet[CareOrder]:
    return CareOrder.objects.select_related("service", "provider", "community", "room__building__estate").with_users(
        "elder", "worker", "placed_by"
    )


def with_details(queryset: QuerySet[CareOrder]) -> QuerySet[CareOrder]:
    """An order's photos and timeline, for a detail view."""
    steps = CareOrderHistory.objects.select_related("actor").order_by("created_at", "id")
    return queryset.prefetch_related(attachments("photo_links", CareOrderPhoto), Prefetch("history", queryset=steps))


def orders_of(elder: User) -> QuerySet[CareOrder]:
    """The orders for an elder (what they, or family acting for them, see)."""
    if not elder.is_authenticated:
        return CareOrder.objects.none()
    return _orders().filter(elder=elder)


def orders_for_provider_staff(user: User) -> QuerySet[CareOrder]:
    """Every order of the providers the user manages; another provider's are simply not there."""
    return _orders().filter(provider_id__in=managed_provider_ids(user))


def assignments_of(worker: User) -> QuerySet[CareOrder]:
    """Orders assigned to the worker by a provider they (still) work for."""
    if not worker.is_authenticated:
        return CareOrder.objects.none()
    return _orders().filter(worker=worker, provider_id__in=worker_provider_ids(worker))


# --- subsidy ------------------------------------------------------------------------------------------


def subsidy_account_of(elder: User) -> SubsidyAccount | None:
    return SubsidyAccount.objects.filter(elder=elder).select_related("community").first()


def subsidy_entries_of(elder: User) -> QuerySet[SubsidyEntry]:
    if not elder.is_authenticated:
        return SubsidyEntry.objects.none()
    return SubsidyEntry.objects.filter(account__elder=elder).select_related("order")


def subsidy_accounts_for_staff(user: User) -> QuerySet[SubsidyAccount]:
    return SubsidyAccount.objects.filter(community_id__in=staff_community_ids(user)).select_related(
        "community", "elder", "approved_by"
    )


# --- visits -------------------------------------------------------------------------------------------


def visit_plans_for_staff(user: User) -> QuerySet[VisitPlan]:
    return VisitPlan.objects.filter(community_id__in=staff_community_ids(user)).select_related(
        "community", "elder", "visitor", "room__building__estate"
    )


def visits_for_staff(user: User) -> QuerySet[Visit]:
    return Visit.objects.filter(community_id__in=staff_community_ids(user)).select_related(
        "community", "elder", "visitor", "room__building__estate"
    )


def visits_of_visitor(user: User) -> QuerySet[Visit]:
    if not user.is_authenticated:
        return Visit.objects.none()
    return Visit.objects.filter(visitor=user).select_related("community", "elder", "visitor", "room__building__estate")
