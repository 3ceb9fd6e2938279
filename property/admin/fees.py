from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from linli.api.errors import DomainError
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from property.models import ArrearsReminder, Bill, BillHistory, FeeItem, FeeRate, Receipt
from property.services import bills as bill_services
from property.services import fees as fee_services


class FeeRateInline(admin.TabularInline):
    model = FeeRate
    extra = 1
    fields = ("effective_from", "rate_fen")


@admin.register(FeeItem)
class FeeItemAdmin(CommunityScopedAdmin):
    community_field = "estate__community"
    list_display = ("name", "estate", "kind", "charging", "due_days", "is_active", "sort_order")
    # Related-only: the sidebar lists the estates of the rows shown, never another community's.
    list_filter = ("kind", "charging", "is_active", ("estate", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("estate",)
    search_fields = ("name", "estate__name")
    inlines = [FeeRateInline]
    actions = ["run_this_month", "run_next_month"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "estate" and not request.user.is_superuser:
            from linli.console.selectors import console_community_ids
            from linli.regions.models import Estate

            kwargs["queryset"] = Estate.objects.filter(community_id__in=console_community_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _run(self, request, queryset, period):
        def run(item):
            result = fee_services.bill_run_item(item=item, period=period)
            if result.skipped:
                self.message_user(request, f"{item}：" + "；".join(result.skipped[:5]))
            if not result.created:
                raise DomainError(f"{period:%Y-%m} 无新账单（已出账 {result.existing} 张）", code="nothing_new")

        apply_service(self, request, queryset.filter(is_active=True), f"出账（{period:%Y-%m}）", run, unit="个收费项目")

    @admin.action(description="为所选收费项目生成本月账单（重复执行不会重复出账）")
    def run_this_month(self, request, queryset):
        self._run(request, queryset, timezone.localdate().replace(day=1))

    @admin.action(description="为所选收费项目生成下月账单")
    def run_next_month(self, request, queryset):
        self._run(request, queryset, fee_services.month_end(timezone.localdate()) + timedelta(days=1))


class BillHistoryInline(HistoryInline):
    model = BillHistory
    fields = (
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "note",
        "amount_before_fen",
        "amount_after_fen",
    )


@admin.register(Bill)
class BillAdmin(CommunityScopedAdmin):
    list_display = (
        "id",
        "room",
        "title",
        "amount_yuan",
        "status",
        "due_date",
        "method",
        "paid_at",
        "receipt",
    )
    list_filter = ("status", "period", "item__kind", ("estate", admin.RelatedOnlyFieldListFilter), "method")
    list_select_related = ("room__building__estate", "receipt")
    search_fields = ("=id", "title", "room__number", "vehicle__plate", "receipt__number")
    date_hierarchy = "period"
    readonly_fields = [f.name for f in Bill._meta.fields]
    inlines = [BillHistoryInline]
    actions = ["record_cash"]
    export_fields = (
        "id",
        "estate",
        "room",
        "title",
        "period",
        "original_fen",
        "amount_fen",
        "refunded_fen",
        "status",
        "due_date",
        "method",
        "paid_at",
        "receipt",
    )

    @admin.display(description="应缴（元）", ordering="amount_fen")
    def amount_yuan(self, bill):
        return f"{bill.amount_fen / 100:.2f}"

    def has_add_permission(self, request):
        return False  # bills come from bill runs

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="登记现金收款（每张账单开一张收据）")
    def record_cash(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=Bill.Status.UNPAID),
            "现金收款",
            lambda bill: bill_services.bills_record_offline(
                bills=[bill], actor=request.user, method=Receipt.Method.CASH, payer_name=str(bill.room)
            ),
            unit="张账单",
        )


class ReceiptBillInline(admin.TabularInline):
    model = Bill
    fk_name = "receipt"
    extra = 0
    can_delete = False
    fields = ("room", "title", "amount_fen", "status")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Receipt)
class ReceiptAdmin(CommunityScopedAdmin):
    list_display = ("number", "community", "payer_name", "method", "amount_fen", "recorded_by", "created_at")
    list_filter = ("method", "community")
    list_select_related = ("community", "recorded_by")
    search_fields = ("number", "payer_name")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Receipt._meta.fields]
    inlines = [ReceiptBillInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArrearsReminder)
class ArrearsReminderAdmin(CommunityScopedAdmin):
    community_field = "bill__community"
    list_display = ("bill", "round", "recipients", "sent_at")
    list_select_related = ("bill__room__building__estate",)
    date_hierarchy = "sent_at"
    readonly_fields = ("bill", "round", "recipients", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
