"""The console for 托育 (imported by care/admin.py): classes, children, applications (review with the
same services as the staff API: approve → enrolled or waitlisted), and monthly fee bills."""

from django.contrib import admin

from care.models import Child, ChildcareClass, Enrolment, EnrolmentHistory, FeeBill
from care.services import childcare as services
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service


@admin.register(ChildcareClass)
class ChildcareClassAdmin(CommunityScopedAdmin):
    list_display = (
        "name",
        "provider",
        "community",
        "min_age_months",
        "max_age_months",
        "capacity",
        "enrolled_count",
        "monthly_fee_fen",
        "is_active",
    )
    list_filter = ("is_active", "provider", "community")
    list_select_related = ("provider", "community")
    search_fields = ("name", "provider__name")
    actions = ["bill_this_month"]

    @admin.action(description="生成本月保育费账单（已生成的不重复）")
    def bill_this_month(self, request, queryset):
        written = services.fee_bills_generate()
        self.message_user(request, f"已生成本月账单 {written} 张")


@admin.register(Child)
class ChildAdmin(CommunityScopedAdmin):
    list_display = ("name", "birth_date", "parent", "community")
    list_filter = ("community",)
    list_select_related = ("parent", "community")
    search_fields = ("name", "parent__display_name")
    readonly_fields = ("parent", "room", "community", "name", "birth_date")
    staff_can_add = False

    def has_add_permission(self, request):
        return False  # registered by the parent in the mini-program


class EnrolmentHistoryInline(HistoryInline):
    model = EnrolmentHistory


@admin.register(Enrolment)
class EnrolmentAdmin(CommunityScopedAdmin):
    list_display = ("child", "klass", "start_date", "status", "waitlisted_at", "enrolled_at", "created_at")
    list_filter = ("status", "klass", "community")
    list_select_related = ("child", "klass")
    search_fields = ("child__name", "child__parent__display_name")
    readonly_fields = [f.name for f in Enrolment._meta.concrete_fields]
    inlines = [EnrolmentHistoryInline]
    actions = ["approve_selected", "withdraw_selected"]
    staff_can_add = False

    def has_add_permission(self, request):
        return False  # applied for by the parent

    @admin.action(description="审核通过所选申请（满员转候补）")
    def approve_selected(self, request, queryset):
        apply_service(
            self, request, queryset, "审核", lambda e: services.enrolment_approve(enrolment=e, reviewer=request.user)
        )

    @admin.action(description="为所选幼儿办理退托（学位顺延给候补）")
    def withdraw_selected(self, request, queryset):
        apply_service(
            self, request, queryset, "退托", lambda e: services.enrolment_withdraw(enrolment=e, actor=request.user)
        )


@admin.register(FeeBill)
class FeeBillAdmin(CommunityScopedAdmin):
    list_display = ("enrolment", "month", "amount_fen", "status", "paid_at")
    list_filter = ("status", "month", "community")
    list_select_related = ("enrolment__child", "enrolment__klass")
    search_fields = ("enrolment__child__name", "parent__display_name")
    readonly_fields = [f.name for f in FeeBill._meta.concrete_fields]
    staff_can_add = False

    def has_add_permission(self, request):
        return False  # written monthly by the beat job or the class action
