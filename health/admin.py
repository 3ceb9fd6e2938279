"""The console of 医保到家: clinics, slots, drugs, consultations, insurance review, policies.

Actions call the same services as the API. Vitals are deliberately not browsable here: health data
is read by the resident, or by their doctor in a consultation where every read is logged.
"""

from django.contrib import admin

from health.models import (
    AbnormalEpisode,
    Appointment,
    AppointmentHistory,
    Clinic,
    Consultation,
    ConsultationHistory,
    ConsultationMessage,
    Department,
    Drug,
    HealthCondition,
    HealthProfile,
    InsuranceApplication,
    InsuranceApplicationHistory,
    PolicyArticle,
    Prescription,
    PrescriptionHistory,
    PrescriptionItem,
    Slot,
    VitalAccessLog,
)
from health.services import insurance as insurance_services
from health.services import policies as policy_services
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from linli.console.export import ExportMixin


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ("name", "description", "is_active")


@admin.register(Clinic)
class ClinicAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "community", "street", "phone")
    list_filter = ("kind", "street")
    list_select_related = ("community", "street")
    search_fields = ("name", "address")
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "clinic", "is_active")
    list_filter = ("is_active", "clinic")
    list_select_related = ("clinic",)
    search_fields = ("name", "clinic__name")


@admin.register(Drug)
class DrugAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "specification", "coverage", "price_fen", "is_prescription", "is_active")
    list_filter = ("coverage", "is_prescription", "is_active")
    search_fields = ("name", "manufacturer")


class HealthConditionInline(admin.TabularInline):
    model = HealthCondition
    extra = 0


@admin.register(HealthProfile)
class HealthProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "family_doctor", "updated_at")
    list_select_related = ("user", "family_doctor")
    search_fields = ("user__display_name", "user__username")
    raw_id_fields = ("user", "family_doctor")
    inlines = [HealthConditionInline]


@admin.register(Slot)
class SlotAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("department", "date", "start_time", "end_time", "doctor", "capacity", "booked")
    list_filter = ("department__clinic", "department", "date")
    list_select_related = ("department__clinic", "doctor")
    date_hierarchy = "date"
    raw_id_fields = ("doctor",)
    readonly_fields = ("booked",)


class AppointmentHistoryInline(HistoryInline):
    model = AppointmentHistory


@admin.register(Appointment)
class AppointmentAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("id", "resident", "slot", "status", "reminded_at", "created_at")
    list_filter = ("status", "slot__department")
    list_select_related = ("resident", "slot__department__clinic")
    search_fields = ("resident__display_name",)
    readonly_fields = ("slot", "resident", "status", "cancelled_at", "reminded_at", "created_at")
    inlines = [AppointmentHistoryInline]

    def has_add_permission(self, request):
        return False  # booked through the API, which guards the capacity


class ConsultationHistoryInline(HistoryInline):
    model = ConsultationHistory


class ConsultationMessageInline(admin.TabularInline):
    model = ConsultationMessage
    extra = 0
    can_delete = False
    readonly_fields = ("sender", "sender_role", "body", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("id", "resident", "department", "doctor", "status", "rating", "created_at")
    list_filter = ("status", "department")
    list_select_related = ("resident", "department__clinic", "doctor")
    search_fields = ("resident__display_name", "doctor__display_name")
    readonly_fields = (
        "resident",
        "department",
        "doctor",
        "symptoms",
        "share_vitals",
        "status",
        "accepted_at",
        "closed_at",
        "rating",
        "rating_comment",
    )
    exclude = ("photos",)
    inlines = [ConsultationHistoryInline, ConsultationMessageInline]

    def has_add_permission(self, request):
        return False


class PrescriptionItemInline(admin.TabularInline):
    model = PrescriptionItem
    extra = 0
    can_delete = False
    readonly_fields = ("drug", "quantity", "dosage", "unit_price_fen", "coverage")

    def has_add_permission(self, request, obj=None):
        return False


class PrescriptionHistoryInline(HistoryInline):
    model = PrescriptionHistory


@admin.register(Prescription)
class PrescriptionAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("id", "resident", "doctor", "diagnosis", "status", "total_fen", "covered_fen", "valid_until")
    list_filter = ("status",)
    list_select_related = ("resident", "doctor")
    search_fields = ("resident__display_name", "diagnosis")
    readonly_fields = (
        "consultation",
        "resident",
        "doctor",
        "diagnosis",
        "status",
        "valid_until",
        "total_fen",
        "covered_fen",
    )
    inlines = [PrescriptionItemInline, PrescriptionHistoryInline]

    def has_add_permission(self, request):
        return False


class InsuranceApplicationHistoryInline(HistoryInline):
    model = InsuranceApplicationHistory


@admin.register(InsuranceApplication)
class InsuranceApplicationAdmin(CommunityScopedAdmin):
    list_display = ("id", "type", "applicant", "community", "status", "reviewer", "created_at", "decided_at")
    list_filter = ("status", "type", "community")
    list_select_related = ("applicant", "community", "reviewer")
    search_fields = ("=id", "applicant__display_name", "applicant__username", "details")
    date_hierarchy = "created_at"
    readonly_fields = ("applicant", "community", "type", "details", "status", "reviewer", "decided_at")
    exclude = ("attachments",)
    inlines = [InsuranceApplicationHistoryInline]
    actions = ["approve", "request_info", "reject"]

    def has_add_permission(self, request):
        return False

    def _review(self, request, queryset, action: str, note: str, label: str):
        apply_service(
            self,
            request,
            queryset,
            label,
            lambda a: insurance_services.application_review(
                application=a, reviewer=request.user, action=action, note=note
            ),
        )

    @admin.action(description="审核通过所选申请")
    def approve(self, request, queryset):
        self._review(request, queryset, "approve", "", "通过")

    @admin.action(description="退回补充材料（请申请人补充证明材料）")
    def request_info(self, request, queryset):
        self._review(request, queryset, "request_info", "材料不全，请补充相关证明材料后重新提交", "退回")

    @admin.action(description="驳回所选申请（不符合办理条件）")
    def reject(self, request, queryset):
        self._review(request, queryset, "reject", "经审核不符合办理条件", "驳回")


@admin.register(PolicyArticle)
class PolicyArticleAdmin(CommunityScopedAdmin):
    """Community staff see and write their communities' articles; district-wide ones (no community)
    stay with the district (superusers)."""

    list_display = ("title", "community", "condition", "min_age", "max_age", "status", "published_at", "pushed_at")
    list_filter = ("status", "community", "condition")
    list_select_related = ("community",)
    search_fields = ("title", "summary")
    date_hierarchy = "published_at"
    readonly_fields = ("status", "published_at", "pushed_at", "author")
    actions = ["publish"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "community" in form.base_fields:
            form.base_fields["community"].required = True  # else it would leave their sight
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="发布并推送所选文章")
    def publish(self, request, queryset):
        apply_service(
            self,
            request,
            queryset,
            "发布",
            lambda article: policy_services.policy_publish(article=article, actor=request.user),
            unit="篇",
        )


@admin.register(AbnormalEpisode)
class AbnormalEpisodeAdmin(admin.ModelAdmin):
    """Which residents had an abnormal run and whether they were told; no values are shown."""

    list_display = ("resident", "kind", "started_at", "last_abnormal_at", "ended_at", "notified_at")
    list_filter = ("kind",)
    list_select_related = ("resident",)
    fields = ("resident", "kind", "abnormal_readings", "started_at", "last_abnormal_at", "ended_at", "notified_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(VitalAccessLog)
class VitalAccessLogAdmin(admin.ModelAdmin):
    list_display = ("resident", "viewer", "consultation", "purpose", "records", "accessed_at")
    list_select_related = ("resident", "viewer")
    readonly_fields = ("resident", "viewer", "consultation", "purpose", "records", "accessed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
