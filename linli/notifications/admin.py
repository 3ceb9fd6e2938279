"""The operators' view of notifications: inboxes, pushes (with a retry for failed ones), quotas, preferences.

Everything here is written by services (notify, delivery_send, the resident API), so the admin reads;
the one write is the retry action, which calls `delivery_retry`.
"""

from django.contrib import admin, messages

from linli.console.admin import apply_service
from linli.console.export import ExportMixin
from linli.notifications import services
from linli.notifications.models import Delivery, Notification, NotificationPreference, SubscriptionQuota


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("channel", "status", "attempts", "provider_ref", "error_code", "error_message", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ExportMixin, ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "is_read", "dispatch_pending")
    list_select_related = ("recipient",)
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), "dispatch_pending")
    search_fields = ("title", "kind", "recipient__username", "recipient__display_name", "dedupe_key")
    date_hierarchy = "created_at"
    raw_id_fields = ("recipient",)
    inlines = [DeliveryInline]
    show_full_result_count = False  # inboxes of whole communities: skip the second COUNT(*)

    @admin.display(boolean=True, description="已读")
    def is_read(self, obj):
        return obj.read_at is not None


@admin.register(Delivery)
class DeliveryAdmin(ExportMixin, ReadOnlyAdmin):
    list_display = (
        "updated_at",
        "recipient",
        "channel",
        "status",
        "kind",
        "attempts",
        "error_code",
        "error_message",
        "sent_at",
    )
    list_select_related = ("recipient", "notification")
    list_filter = ("status", "channel", "error_code")
    search_fields = ("recipient__username", "recipient__display_name", "notification__kind", "provider_ref")
    date_hierarchy = "created_at"
    raw_id_fields = ("notification", "recipient")
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description="类型", ordering="notification__kind")
    def kind(self, obj):
        return obj.notification.kind

    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.change_delivery")

    @admin.action(description="重新发送所选的失败推送", permissions=["retry"])
    def retry(self, request, queryset):
        skipped = queryset.exclude(status=Delivery.Status.FAILED).count()
        apply_service(
            self,
            request,
            queryset.filter(status=Delivery.Status.FAILED),
            "重新排队",
            lambda delivery: services.delivery_retry(delivery=delivery),
            unit="条推送",
        )
        if skipped:
            self.message_user(request, f"{skipped} 条不是「发送失败」状态，未处理。", messages.WARNING)


@admin.register(SubscriptionQuota)
class SubscriptionQuotaAdmin(ExportMixin, ReadOnlyAdmin):
    list_display = ("user", "template_id", "remaining", "accepted_total", "updated_at")
    list_select_related = ("user",)
    list_filter = ("template_id",)
    search_fields = ("user__username", "user__display_name", "template_id")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ExportMixin, ReadOnlyAdmin):
    list_display = ("user", "kind", "enabled", "updated_at")
    list_select_related = ("user",)
    list_filter = ("kind", "enabled")
    search_fields = ("user__username", "user__display_name", "kind")
