from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin
from linli.console.export import ExportMixin
from linli.console.selectors import console_community_ids
from linli.points.models import (
    AdjustmentLimit,
    EarningAward,
    EarningRule,
    ManualAdjustment,
    PointsAccount,
    PointsEntry,
    Redemption,
    RedemptionHistory,
    RedemptionItem,
)


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


@admin.register(EarningRule)
class EarningRuleAdmin(CommunityScopedAdmin):
    """Community staff set their community's own rules; the district defaults (no community) are the
    superuser's. A community's rule wins over the default, an inactive one switches the rule off there."""

    list_display = ("key", "community", "points_per_unit", "daily_cap", "monthly_cap", "active", "updated_at")
    list_filter = ("key", "active")
    list_select_related = ("community",)
    list_editable = ("active",)
    ordering = ("key", "community_id")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "community" and console_community_ids(request.user) is not None:
            field.required = True  # staff edit their own community's rules, never the district default
            field.empty_label = None
        return field


@admin.register(EarningAward)
class EarningAwardAdmin(CommunityScopedAdmin, ReadOnlyAdmin):
    list_display = ("earned_at", "user", "rule", "community", "quantity", "points", "capped")
    list_select_related = ("user", "rule__community", "community")
    list_filter = ("rule__key", "capped")
    search_fields = ("user__username", "user__display_name")
    date_hierarchy = "earned_at"
    staff_can_add = False
    staff_can_change = False


@admin.register(RedemptionItem)
class RedemptionItemAdmin(CommunityScopedAdmin):
    list_display = ("name", "community", "kind", "points_price", "stock", "per_person_limit", "active")
    list_select_related = ("community",)
    list_filter = ("kind", "active")
    search_fields = ("name",)
    fields = (
        "community",
        "name",
        "kind",
        "description",
        "points_price",
        "stock",
        "per_person_limit",
        ("available_from", "available_until"),
        "active",
        ("merchant_type", "merchant_id"),
    )


class RedemptionHistoryInline(admin.TabularInline):
    model = RedemptionHistory
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Redemption)
class RedemptionAdmin(CommunityScopedAdmin, ReadOnlyAdmin):
    """Read-only: codes are verified and redemptions cancelled through the staff API (points move with them)."""

    list_display = ("created_at", "code", "item", "user", "points", "status", "verified_at")
    list_select_related = ("item", "user")
    list_filter = ("status",)
    search_fields = ("code", "item__name", "user__display_name")
    date_hierarchy = "created_at"
    inlines = [RedemptionHistoryInline]
    staff_can_add = False
    staff_can_change = False


@admin.register(ManualAdjustment)
class ManualAdjustmentAdmin(CommunityScopedAdmin, ReadOnlyAdmin):
    list_display = ("created_at", "community", "staff", "user", "amount", "reason")
    list_select_related = ("community", "staff", "user")
    search_fields = ("reason", "user__display_name", "staff__display_name")
    date_hierarchy = "created_at"
    staff_can_add = False
    staff_can_change = False


@admin.register(AdjustmentLimit)
class AdjustmentLimitAdmin(CommunityScopedAdmin):
    list_display = ("community", "monthly_points")
    list_select_related = ("community",)
