"""The alliance's three lists as residents, community staff and unit contacts see them.

* staff (community staff): alliances of their communities and of their communities' streets, with
  those alliances' units and resources; needs and projects of their communities.
* unit contacts (`alliance_member` scoped to an AllianceUnit): their units' resources (any status),
  and the projects using them.
* residents: published resources of active units in alliances covering their communities, and the
  projects (not cancelled) of their communities. Read-only.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from linli.accounts.models import Role, User
from linli.accounts.selectors import community_ids_for, roles_of
from linli.regions.models import Community
from participation.models import Alliance, AllianceUnit, Need, Project, ProjectHistory, Resource, ResourceKind


def covering(community_ids, *, prefix: str = "") -> Q:
    """Alliances (at `prefix`) of these communities or of their streets (a subquery, no extra query)."""
    streets = Community.objects.filter(pk__in=community_ids).values("street_id")
    return Q(**{f"{prefix}community_id__in": community_ids}) | Q(**{f"{prefix}street_id__in": streets})


def staff_community_ids(user: User) -> set[int]:
    return community_ids_for(user, Role.COMMUNITY_STAFF)


def unit_ids_for(user: User) -> set[int]:
    """The units the user is a contact of (memberships `alliance_member` scoped to an AllianceUnit)."""
    unit_type = ContentType.objects.get_for_model(AllianceUnit).pk  # cached by Django
    return {r.scope_id for r in roles_of(user) if r.role == Role.ALLIANCE_MEMBER and r.scope_type_id == unit_type}


# --- alliances ---------------------------------------------------------------------------------


def alliances_for_staff(user: User) -> QuerySet[Alliance]:
    units = AllianceUnit.objects.annotate(resource_count=Count("resources")).order_by("name", "id")
    return (
        Alliance.objects.filter(covering(staff_community_ids(user)))
        .select_related("street", "community")
        .prefetch_related(Prefetch("units", queryset=units))
    )


# --- resources ---------------------------------------------------------------------------------


def _resources() -> QuerySet[Resource]:
    return Resource.objects.select_related("unit__alliance")


def resources_for_resident(user: User) -> QuerySet[Resource]:
    ids = community_ids_for(user, Role.RESIDENT)
    return _resources().filter(
        covering(ids, prefix="unit__alliance__"),
        status=Resource.Status.PUBLISHED,
        unit__is_active=True,
        unit__alliance__is_active=True,
    )


def resources_for_staff(user: User) -> QuerySet[Resource]:
    return _resources().filter(covering(staff_community_ids(user), prefix="unit__alliance__"))


def resources_for_unit_member(user: User) -> QuerySet[Resource]:
    return _resources().filter(unit_id__in=unit_ids_for(user))


# --- needs -------------------------------------------------------------------------------------


def needs_for_staff(user: User) -> QuerySet[Need]:
    return Need.objects.select_related("alliance", "community").filter(community_id__in=staff_community_ids(user))


# --- projects ----------------------------------------------------------------------------------


def _projects() -> QuerySet[Project]:
    return Project.objects.select_related("alliance", "community", "need").prefetch_related(
        Prefetch("resources", queryset=Resource.objects.select_related("unit").order_by("id"))
    )


def projects_for_resident(user: User) -> QuerySet[Project]:
    ids = community_ids_for(user, Role.RESIDENT)
    return _projects().filter(community_id__in=ids).exclude(status=Project.Status.CANCELLED)


def projects_for_staff(user: User) -> QuerySet[Project]:
    return _projects().filter(community_id__in=staff_community_ids(user))


def projects_for_unit_member(user: User) -> QuerySet[Project]:
    using = Project.resources.through.objects.filter(resource__unit_id__in=unit_ids_for(user)).values("project_id")
    return _projects().filter(pk__in=using)


def with_history(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return queryset.prefetch_related(
        Prefetch("history", queryset=ProjectHistory.objects.select_related("actor").order_by("created_at", "id"))
    )


# --- stats -------------------------------------------------------------------------------------


def alliance_stats(*, community_ids) -> dict:
    """Projects by status (of these communities) and resources by kind (of alliances covering them):
    two grouped queries."""
    projects = dict(
        Project.objects.filter(community_id__in=community_ids).values_list("status").annotate(n=Count("id")).order_by()
    )
    resources = dict(
        Resource.objects.filter(covering(community_ids, prefix="unit__alliance__"), status=Resource.Status.PUBLISHED)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "projects": [{"status": k, "label": label, "count": projects.get(k, 0)} for k, label in Project.Status.choices],
        "resources": [{"kind": k, "label": label, "count": resources.get(k, 0)} for k, label in ResourceKind.choices],
    }
