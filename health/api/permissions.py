from rest_framework import permissions

from linli.accounts.models import Role
from linli.accounts.selectors import has_role


class IsDoctor(permissions.BasePermission):
    message = "仅医生可以访问"

    def has_permission(self, request, view):
        return has_role(request.user, Role.DOCTOR)


class IsCommunityStaff(permissions.BasePermission):
    message = "仅社区工作人员可以访问"

    def has_permission(self, request, view):
        return has_role(request.user, Role.COMMUNITY_STAFF)
