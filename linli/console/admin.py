"""What every staff-facing ModelAdmin inherits: community scoping and the Excel/CSV export.

    @admin.register(WorkOrder)
    class WorkOrderAdmin(CommunityScopedAdmin):
        community_field = "community"          # ORM path from the model to its Community
        list_display = (...)

A community worker of 斗潭 then never sees 白云's rows: not in the changelist, search, filters,
autocomplete (Django's autocomplete view asks get_queryset too), foreign-key choices or exports
(linli/console/export.py). A superuser sees everything.

Every bulk action runs a service through `apply_service`.
"""

from django.contrib import admin, messages

from linli.accounts.models import Membership
from linli.api.errors import DomainError
from linli.console.export import ExportMixin
from linli.console.selectors import CONSOLE_ROLES, console_community_ids
from linli.regions.models import Community


def apply_service(modeladmin, request, queryset, label: str, apply, *, unit: str = "项") -> int:
    """Run a service on each selected row, as an admin action does.

    The service writes the domain history and notifies, exactly as through the API; this adds an
    entry to the row's admin history ("历史") and shows a refusal (a DomainError raised by the service,
    or by `apply` when the service declines) next to the row's name instead of failing the whole
    action. Returns how many rows the service accepted; reports "已<label> <n> <unit>".
    """
    done = 0
    for obj in queryset:
        try:
            apply(obj)
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}：{exc.message}", messages.ERROR)
            continue
        modeladmin.log_change(request, obj, f"后台操作：{label}")
        done += 1
    modeladmin.message_user(request, f"已{label} {done} {unit}")
    return done


class HistoryInline(admin.TabularInline):
    """A flow's history (a `linli.workflow` StatusChange model) under its object: read-only, oldest
    first. Subclasses set `model`, and `fields` when the history has more columns."""

    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "note")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


def _is_console_user(user) -> bool:
    return user.is_active and user.is_staff and Membership.objects.filter(user=user, role__in=CONSOLE_ROLES).exists()


class CommunityScopedAdmin(ExportMixin, admin.ModelAdmin):
    community_field = "community"
    # Community staff may view and edit their rows; deleting stays with superusers (history must survive).
    staff_can_add = True
    staff_can_change = True

    # --- scoping -------------------------------------------------------------------------
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = console_community_ids(request.user)
        if ids is None:
            return qs
        return qs.filter(**{f"{self.community_field}__in": ids}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Community:
            ids = console_community_ids(request.user)
            if ids is not None:
                kwargs["queryset"] = Community.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- permissions: Django's model permissions, or a community-staff membership ----------
    def _staff(self, request) -> bool:
        if not hasattr(request, "_console_user"):
            request._console_user = _is_console_user(request.user)
        return request._console_user

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._staff(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._staff(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or (self.staff_can_change and self._staff(request))

    def has_add_permission(self, request):
        return super().has_add_permission(request) or (self.staff_can_add and self._staff(request))
