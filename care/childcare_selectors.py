"""Reads of 托育: parents see their own children, applications and bills; community staff and the
托育点's own people (care memberships scoped to a childcare provider) see those of their communities /
their 托育点. Children are personal data: nobody else sees them (404)."""

from django.db.models import Prefetch, Q, QuerySet

from care.models import Child, ChildcareClass, Enrolment, EnrolmentHistory, FeeBill, Provider
from care.selectors import worker_provider_ids
from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for


def classes_for_resident(user: User) -> QuerySet[ChildcareClass]:
    """Classes open for applications in the communities the user belongs to."""
    return (
        ChildcareClass.objects.filter(
            community_id__in=community_ids_for(user), is_active=True, provider__is_active=True
        )
        .select_related("provider", "community")
        .order_by("provider_id", "min_age_months", "id")
    )


def children_of(user: User) -> QuerySet[Child]:
    if not user.is_authenticated:
        return Child.objects.none()
    return Child.objects.filter(parent=user).select_related("community").order_by("birth_date", "id")


def _enrolments(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return qs.select_related("child", "klass__provider", "community", "reviewed_by")


def with_history(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    history = EnrolmentHistory.objects.select_related("actor").order_by("created_at", "id")
    return qs.prefetch_related(Prefetch("history", queryset=history))


def enrolments_of(user: User) -> QuerySet[Enrolment]:
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return _enrolments(Enrolment.objects.filter(child__parent=user)).order_by("-created_at", "-id")


def staff_scope(user: User, *, community_field: str = "community_id", provider_field: str = "klass__provider_id") -> Q:
    """Community staff: their communities; a 托育点's people: that 托育点."""
    nurseries = Provider.objects.filter(pk__in=worker_provider_ids(user), kind=Provider.Kind.CHILDCARE).values("pk")
    return Q(**{f"{community_field}__in": community_ids_for(user, Role.COMMUNITY_STAFF)}) | Q(
        **{f"{provider_field}__in": nurseries}
    )


def enrolments_for_staff(user: User) -> QuerySet[Enrolment]:
    """Applications to review: pending first, then the waitlist in order, then the rest."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return _enrolments(Enrolment.objects.filter(staff_scope(user))).order_by("status", "waitlisted_at", "-id")


def bills_of(user: User) -> QuerySet[FeeBill]:
    if not user.is_authenticated:
        return FeeBill.objects.none()
    return FeeBill.objects.filter(parent=user).select_related("enrolment__child", "enrolment__klass", "payment_intent")
