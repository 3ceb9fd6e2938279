"""Who may call an endpoint: one factory for every "only people holding role X" check.

    permission_classes = [has_role(Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)]
    permission_classes = [has_role(Role.OFFICER, Role.GRID_WORKER, scope="enforcement.Team", superuser=True)]

The permission only says whether the caller holds the role somewhere (anywhere, or in a membership
scoped to a `scope` model); the view's queryset scopes further, so someone else's object is a 404.
A refusal is 403 `permission_denied` with one message per set of roles (仅医生可以访问).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from rest_framework import permissions

from linli.accounts.models import Role
from linli.accounts.selectors import roles_of


def role_message(*roles: Role) -> str:
    """The one Chinese message for "only these roles": 仅社区工作人员、物业管理员可以访问."""
    return f"仅{'、'.join(Role(role).label for role in roles)}可以访问"


def has_role(*roles: Role, scope: str | None = None, superuser: bool = False, message: str | None = None):
    """A permission class admitting authenticated users with a membership in one of `roles`.

    `scope` ("app_label.Model") requires the membership to be scoped to an object of that model (a team,
    a shop); `superuser=True` lets superusers in as well.
    """
    if not roles:
        raise ValueError("has_role() needs at least one role")

    class HasRole(permissions.BasePermission):
        def has_permission(self, request, view):
            user = request.user
            if not (user and user.is_authenticated):
                return False
            if superuser and user.is_superuser:
                return True
            held = [r for r in roles_of(user) if r.role in roles]  # the request's one membership load
            if scope is not None:
                scope_type_id = ContentType.objects.get_for_model(apps.get_model(scope)).pk
                held = [r for r in held if r.scope_type_id == scope_type_id]
            return bool(held)

    HasRole.message = message or role_message(*roles)
    HasRole.roles = roles
    HasRole.__name__ = HasRole.__qualname__ = "HasRole_" + "_".join(str(role) for role in roles)
    return HasRole
