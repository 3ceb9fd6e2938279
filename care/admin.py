"""The console for home care. Community staff see their communities' providers, catalogue, orders,
subsidy accounts and visits; a provider's manager (a staff login with a care membership) sees that
provider's orders and catalogue only. Admin actions call the same services as the API."""

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html

from care import checkin, selectors, services
from care.models import (
    CareOrder,
    CareOrderHistory,
    CareService,
    Provider,
    SubsidyAccount,
    SubsidyEntry,
    Visit,
    VisitHistory,
    VisitPlan,
)
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from linli.console.selectors import console_community_ids


class ProviderAwareAdmin(CommunityScopedAdmin):
    """Community staff see their communities' rows; a provider's manager sees that provider's rows."""

    provider_field = "provider"

    def get_queryset(self, request):
        qs = super(CommunityScopedAdmin, self).get_queryset(request)
        ids = console_community_ids(request.user)
        if ids is None:
            return qs
        mine = Q(**{f"{self.community_field}__in": ids}) | Q(
            **{f"{self.provider_field}__in": selectors.managed_provider_ids(request.user)}
        )
        return qs.filter(mine).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A manager picks among their own providers; community staff among those serving their communities.
        if db_field.name == self.provider_field and not request.user.is_superuser:
            ids = console_community_ids(request.user) or []
            kwargs["queryset"] = Provider.objects.filter(
                Q(pk__in=selectors.managed_provider_ids(request.user)) | Q(communities__in=ids)
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _staff(self, request) -> bool:
        if not hasattr(request, "_care_console_user"):
            manager = request.user.is_active and request.user.is_staff
            manager = manager and selectors.managed_provider_ids(request.user).exists()
            request._care_console_user = manager or super()._staff(request)
        return request._care_console_user


@admin.register(Provider)
class ProviderAdmin(CommunityScopedAdmin):
    community_field = "communities"
    list_display = ("name", "kind", "phone", "is_active", "staff_count")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "phone")
    filter_horizontal = ("communities",)

    @admin.display(description="人员")
    def staff_count(self, obj):
        return selectors.provider_staff(obj.pk).count()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = console_community_ids(request.user)
        if db_field.name == "communities" and ids is not None:
            from linli.regions.models import Community

            kwargs["queryset"] = Community.objects.filter(pk__in=ids)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(CareService)
class CareServiceAdmin(ProviderAwareAdmin):
    list_display = (
        "name",
        "kind",
        "provider",
        "community",
        "price_yuan",
        "duration_minutes",
        "subsidy_eligible",
        "is_active",
    )
    list_filter = ("kind", "subsidy_eligible", "is_active", "community")
    list_editable = ("is_active",)
    list_select_related = ("provider", "community")
    search_fields = ("name", "provider__name")

    @admin.display(description="价格（元）", ordering="price_fen")
    def price_yuan(self, obj):
        return f"{obj.price_fen / 100:.2f}"


class CareOrderHistoryInline(HistoryInline):
    model = CareOrderHistory


@admin.register(CareOrder)
class CareOrderAdmin(ProviderAwareAdmin):
    list_display = (
        "number",
        "service",
        "elder",
        "community",
        "scheduled_start",
        "status",
        "worker",
        "subsidy_fen",
        "cash_fen",
        "rating",
    )
    list_filter = ("status", "provider", "service__kind", "community")
    list_select_related = ("service", "elder", "community", "worker")
    search_fields = ("number", "elder__display_name", "worker__display_name", "room__number")
    date_hierarchy = "scheduled_start"
    inlines = [CareOrderHistoryInline]
    readonly_fields = [f.name for f in CareOrder._meta.concrete_fields] + ["door_code"]
    exclude = ("photos",)
    actions = ["cancel_selected"]
    staff_can_add = False

    def has_add_permission(self, request):
        return False  # ordered in the mini-program

    @admin.display(description="门牌码（打印为二维码贴在服务对象门上）")
    def door_code(self, obj):
        return format_html("<code>{}</code>", checkin.door_code(obj.room_id)) if obj.room_id else ""

    @admin.action(description="取消所选订单（按取消规则退款）")
    def cancel_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset,
            "取消",
            lambda order: services.care_order_cancel(order=order, by=request.user, reason="后台取消"),
        )


class SubsidyEntryInline(admin.TabularInline):
    model = SubsidyEntry
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "amount_fen", "balance_after_fen", "month", "expires_on", "order", "note")
    readonly_fields = fields
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SubsidyAccount)
class SubsidyAccountAdmin(CommunityScopedAdmin):
    list_display = ("elder", "community", "is_eligible", "monthly_amount_fen", "balance_fen", "approved_by")
    list_filter = ("is_eligible", "community")
    list_select_related = ("elder", "community", "approved_by")
    search_fields = ("elder__display_name", "elder__username", "note")
    readonly_fields = ("balance_fen", "approved_by")
    autocomplete_fields = ("elder",)
    inlines = [SubsidyEntryInline]
    actions = ["grant_this_month"]

    def save_model(self, request, obj, form, change):
        # Through the service: the same checks as the API (the elder lives in the community).
        saved = services.subsidy_account_set(
            by=request.user,
            elder=obj.elder,
            community=obj.community,
            monthly_amount_fen=obj.monthly_amount_fen,
            is_eligible=obj.is_eligible,
            note=obj.note,
        )
        obj.pk = saved.pk

    @admin.action(description="为所选账户发放本月补贴（已发放的不会重复）")
    def grant_this_month(self, request, queryset):
        from django.utils import timezone

        month = timezone.localdate().replace(day=1)

        def grant(account):
            if services.subsidy_grant(account=account, month=month) is None:
                from linli.api.errors import DomainError

                raise DomainError("本月已发放或不享受补贴")

        apply_service(self, request, queryset, "发放", grant, unit="个账户")


@admin.register(VisitPlan)
class VisitPlanAdmin(CommunityScopedAdmin):
    list_display = ("elder", "visitor", "weekday", "community", "is_active", "note")
    list_filter = ("weekday", "is_active", "community")
    list_select_related = ("elder", "visitor", "community")
    search_fields = ("elder__display_name", "visitor__display_name")
    readonly_fields = ("community", "room", "created_by")
    autocomplete_fields = ("elder", "visitor")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        plan = services.visit_plan_create(
            by=request.user, elder=obj.elder, visitor=obj.visitor, weekday=obj.weekday, note=obj.note
        )
        obj.pk = plan.pk


class VisitHistoryInline(HistoryInline):
    model = VisitHistory


@admin.register(Visit)
class VisitAdmin(CommunityScopedAdmin):
    list_display = ("date", "elder", "visitor", "status", "checked_in_at", "checked_out_at", "escalated_at")
    list_filter = ("status", "community", "date")
    list_select_related = ("elder", "visitor")
    search_fields = ("elder__display_name", "visitor__display_name", "notes")
    date_hierarchy = "date"
    readonly_fields = [f.name for f in Visit._meta.concrete_fields]
    inlines = [VisitHistoryInline]
    staff_can_add = False

    def has_add_permission(self, request):
        return False  # generated from the roster


from care import admin_alarms, admin_childcare  # noqa: E402, F401  (一键呼叫 and 托育 register their admins)
