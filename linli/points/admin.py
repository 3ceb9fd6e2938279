from django.contrib import admin

from linli.console.export import ExportMixin
from linli.points.models import PointsAccount, PointsEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger changes only through award()/spend()/refund(): the console reads it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PointsAccount)
class PointsAccountAdmin(ExportMixin, ReadOnlyAdmin):
    list_display = ("user", "balance", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__display_name", "user__phone")
    ordering = ("-updated_at",)


@admin.register(PointsEntry)
class PointsEntryAdmin(ExportMixin, ReadOnlyAdmin):
    list_display = ("created_at", "account", "amount", "balance_after", "reason", "idempotency_key")
    list_select_related = ("account__user",)
    list_filter = ("source_type",)
    search_fields = ("account__user__username", "account__user__display_name", "reason", "idempotency_key")
    date_hierarchy = "created_at"
