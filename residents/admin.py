"""The community staff's console: verifications (bulk approve), work orders, SLA, announcements.

Every list is scoped to the staff member's communities (`CommunityScopedAdmin`), with Excel/CSV export.
Admin actions call the same services as the API, so the rules (and notifications) are the same.
"""

from django.contrib import admin
from django.utils import timezone

from linli.api.errors import DomainError
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from linli.console.export import ExportMixin
from linli.uploads.admin import photo_previews
from residents import selectors, services
from residents.models import Announcement, Verification, WorkOrder, WorkOrderCategory, WorkOrderHistory


@admin.register(Verification)
class VerificationAdmin(CommunityScopedAdmin):
    list_display = ("real_name", "room", "relation", "phone", "community", "status", "created_at", "reviewed_by")
    list_filter = ("status", "relation", "community")
    list_select_related = ("room__building__estate", "community", "reviewed_by")
    search_fields = ("real_name", "phone", "user__username", "user__display_name", "room__number")
    date_hierarchy = "created_at"
    readonly_fields = ("user", "room", "community", "status", "reviewed_by", "reviewed_at", "created_at")
    fields = (
        "user",
        "room",
        "community",
        "relation",
        "real_name",
        "phone",
        "status",
        "reject_reason",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    )
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False  # residents apply in the mini-program

    @admin.action(description="批量通过所选的待审核申请")
    def approve_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=Verification.Status.PENDING),
            "通过",
            lambda v: services.verification_approve(verification=v, reviewer=request.user),
        )

    @admin.action(description="驳回所选的待审核申请（请居民核对房屋信息后重新提交）")
    def reject_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=Verification.Status.PENDING),
            "驳回",
            lambda v: services.verification_reject(
                verification=v, reviewer=request.user, reason="房屋或身份信息与登记不符，请核对后重新提交"
            ),
        )


@admin.register(WorkOrderCategory)
class WorkOrderCategoryAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "response_hours", "resolution_hours", "is_active", "sort_order")
    list_editable = ("response_hours", "resolution_hours", "is_active", "sort_order")
    search_fields = ("name",)


class WorkOrderHistoryInline(HistoryInline):
    model = WorkOrderHistory
    fields = ("created_at", "action", "from_status", "to_status", "actor", "note", "duration_seconds")


@admin.register(WorkOrder)
class WorkOrderAdmin(CommunityScopedAdmin):
    list_display = (
        "id",
        "kind",
        "category",
        "community",
        "reporter",
        "status",
        "assignee",
        "channel",
        "resolution_due_at",
        "rating",
        "created_at",
    )
    list_filter = ("status", "kind", "category", "channel", "community", "auto_closed")
    list_select_related = ("category", "community", "reporter", "assignee")
    search_fields = ("=id", "description", "location", "reporter__display_name", "reporter__phone")
    date_hierarchy = "created_at"
    inlines = [WorkOrderHistoryInline]
    actions = ["assign_to_property", "escalate_overdue"]
    # State changes go through the services (the same as the staff API's): assign and escalate here.
    readonly_fields = [*(f.name for f in WorkOrder._meta.fields), "photo_previews", "resolution_photo_previews"]

    @admin.display(description="照片")
    def photo_previews(self, work_order):
        return photo_previews(work_order.photo_links.select_related("upload"))

    @admin.display(description="处理照片")
    def resolution_photo_previews(self, work_order):
        return photo_previews(work_order.resolution_photo_links.select_related("upload"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="派单给本社区物业（待受理的工单）")
    def assign_to_property(self, request, queryset):
        pending = queryset.filter(status=WorkOrder.Status.SUBMITTED).select_related("category")
        managers: dict[int, object] = {}

        def assign(work_order):
            if work_order.community_id not in managers:
                managers[work_order.community_id] = selectors.property_managers_of(work_order.community_id).first()
            assignee = managers[work_order.community_id]
            if assignee is None:
                raise DomainError("本社区没有物业人员", code="no_property_manager")
            services.work_order_assign(work_order=work_order, actor=request.user, assignee=assignee)

        apply_service(self, request, pending, "派单", assign)

    @admin.action(description="将所选的超时工单上报社区（每单一次）")
    def escalate_overdue(self, request, queryset):
        now = timezone.now()

        def escalate(work_order):
            if not services.work_order_escalate(work_order_id=work_order.pk, now=now):
                raise DomainError("工单已不再超时或已上报过", code="not_overdue")

        overdue = queryset.filter(selectors.overdue_condition(now), escalated_at__isnull=True)
        apply_service(self, request, overdue, "上报", escalate, unit="张超时工单")


@admin.register(Announcement)
class AnnouncementAdmin(CommunityScopedAdmin):
    list_display = ("title", "community", "pinned", "publish_at", "expires_at", "created_by")
    list_filter = ("community", "pinned")
    list_select_related = ("community", "created_by")
    search_fields = ("title", "body")
    date_hierarchy = "publish_at"
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        if change:
            services.announcement_update(announcement=obj, **{name: getattr(obj, name) for name in form.changed_data})
            return
        created = services.announcement_create(
            author=request.user,
            community=obj.community,
            title=obj.title,
            body=obj.body,
            pinned=obj.pinned,
            publish_at=obj.publish_at,
            expires_at=obj.expires_at,
        )
        obj.pk, obj.created_by, obj.created_at, obj.updated_at = (
            created.pk,
            created.created_by,
            created.created_at,
            created.updated_at,
        )
