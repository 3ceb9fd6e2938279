from django.contrib import admin

from linli.api.errors import DomainError
from linli.console.admin import apply_service
from linli.console.export import ExportMixin
from linli.payments import services
from linli.payments.models import (
    PaymentContract,
    PaymentIntent,
    PaymentNotification,
    PaymentPart,
    Refund,
    SandboxInsuranceAccount,
    ServiceOrder,
)


class PaymentPartInline(admin.TabularInline):
    model = PaymentPart
    extra = 0
    can_delete = False
    fields = ("reference", "description", "settlement", "amount_fen", "refunded_fen")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # parts are the owning app's (several bills in one payment, a subsidy plus the rest)


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = (
        "out_refund_no",
        "part",
        "amount_fen",
        "cash_fen",
        "insurance_fen",
        "points_fen",
        "settled_by_app_fen",
        "reason",
        "status",
        "requested_by",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PaymentIntent)
class PaymentIntentAdmin(ExportMixin, admin.ModelAdmin):
    list_display = (
        "out_trade_no",
        "payer",
        "description",
        "amount_fen",
        "points_fen",
        "insurance_fen",
        "settled_by_app_fen",
        "refunded_fen",
        "method",
        "provider",
        "status",
        "created_at",
    )
    list_filter = ("status", "method", "provider", "purpose")
    list_select_related = ("payer",)
    search_fields = ("out_trade_no", "provider_transaction_id", "reference", "payer__username", "payer__display_name")
    date_hierarchy = "created_at"
    inlines = [PaymentPartInline, RefundInline]
    actions = ["close_unpaid"]
    readonly_fields = [f.name for f in PaymentIntent._meta.fields]

    def has_add_permission(self, request):
        return False  # intents are created by the app that sells something

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="关闭所选的待支付单（退回积分）")
    def close_unpaid(self, request, queryset):
        def close(intent):
            intent = services.payment_intent_close(intent=intent, reason="closed_by_staff")
            if intent.status != PaymentIntent.Status.CLOSED:  # it was paid meanwhile: the provider said so
                raise DomainError(f"未关闭：{intent.get_status_display()}", code="not_closed")

        apply_service(self, request, queryset.filter(status=PaymentIntent.Status.CREATED), "关闭", close, unit="笔")


@admin.register(Refund)
class RefundAdmin(ExportMixin, admin.ModelAdmin):
    list_display = (
        "out_refund_no",
        "intent",
        "part",
        "amount_fen",
        "cash_fen",
        "points_fen",
        "settled_by_app_fen",
        "reason",
        "status",
        "created_at",
    )
    list_filter = ("status",)
    list_select_related = ("intent", "part")
    search_fields = ("out_refund_no", "provider_refund_id", "intent__out_trade_no")
    readonly_fields = [f.name for f in Refund._meta.fields]

    def has_add_permission(self, request):
        return False  # refunds go through the owning app (e.g. a merchant's refund), which keeps its books

    def has_delete_permission(self, request, obj=None):
        return False

    actions = ["confirm_insurance_refunded"]

    @admin.action(description="医保个账部分已由医保平台退回（通知微信）")
    def confirm_insurance_refunded(self, request, queryset):
        from linli.payments.services import med_ins_refund_confirm

        apply_service(
            self,
            request,
            queryset.filter(status=Refund.Status.PENDING),
            "确认医保退回",
            lambda refund: med_ins_refund_confirm(refund=refund),
            unit="笔（现金部分未到账的由定时任务完成）",
        )


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("received_at", "provider", "event_type", "out_trade_no", "out_refund_no", "outcome", "detail")
    list_filter = ("outcome", "provider", "event_type")
    search_fields = ("out_trade_no", "out_refund_no", "notification_id")
    readonly_fields = [f.name for f in PaymentNotification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PaymentContract)
class PaymentContractAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("user", "provider", "status", "contract_id", "created_at", "terminated_at")
    list_filter = ("status", "provider")
    list_select_related = ("user",)
    search_fields = ("contract_id", "user__username", "user__display_name")
    readonly_fields = [f.name for f in PaymentContract._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("out_order_no", "payer", "description", "risk_amount_fen", "status", "intent", "created_at")
    list_filter = ("status", "provider", "purpose")
    list_select_related = ("payer", "intent")
    search_fields = ("out_order_no", "reference", "payer__username")
    readonly_fields = [f.name for f in ServiceOrder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SandboxInsuranceAccount)
class SandboxInsuranceAccountAdmin(admin.ModelAdmin):
    """Sandbox only: set a test resident's medical-insurance personal-account balance."""

    list_display = ("user", "balance_fen", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__display_name")
    autocomplete_fields = ("user",)
