"""The device console: registry with secrets shown once, commands / events / outages as read-only history.

Admin actions call the same services as everything else (linli/devices/services.py).
"""

from django.contrib import admin
from django.template.response import TemplateResponse

from linli.console.admin import CommunityScopedAdmin, apply_service
from linli.devices import services
from linli.devices.models import Device, DeviceCommand, DeviceEvent, DeviceOutage


@admin.register(Device)
class DeviceAdmin(CommunityScopedAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "community",
        "street",
        "status",
        "last_heartbeat_at",
        "firmware_version",
        "has_secret",
    )
    list_filter = ("status", "kind", "community", "street", "last_heartbeat_at")
    list_select_related = ("community", "street")
    search_fields = ("code", "name", "location")
    readonly_fields = ("status", "last_heartbeat_at", "firmware_version", "telemetry", "secret_issued_at", "created_at")
    fields = (
        "kind",
        "code",
        "name",
        "community",
        "street",
        "location",
        ("lat", "lng"),
        "config",
        "status",
        "last_heartbeat_at",
        "firmware_version",
        "telemetry",
        "secret_issued_at",
        "created_at",
    )
    actions = ["rotate_secret", "disable", "enable"]
    # Issuing device credentials is the platform operator's job; community staff see, disable and rotate.
    staff_can_add = False

    @admin.display(boolean=True, description="已签发密钥")
    def has_secret(self, obj):
        return bool(obj.secret_encrypted)

    def get_readonly_fields(self, request, obj=None):
        # The code is the device's identity in every signed request: fixed once registered.
        return (*self.readonly_fields, "code") if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        request._issued_device_secrets = [(obj, services.device_save_new(device=obj))]

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "_issued_device_secrets", None)
        if issued:
            return self._show_secrets(request, issued, title="设备已登记：请保存密钥")
        return super().response_add(request, obj, post_url_continue)

    def _show_secrets(self, request, issued, *, title):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, "issued": issued}
        response = TemplateResponse(request, "admin/devices/device/secret.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="重新签发密钥（旧密钥立即失效，新密钥只显示一次）", permissions=["change"])
    def rotate_secret(self, request, queryset):
        issued = []
        apply_service(
            self,
            request,
            queryset,
            "重新签发密钥",
            lambda device: issued.append((device, services.device_secret_rotate(device=device))),
            unit="台设备",
        )
        return self._show_secrets(request, issued, title="已重新签发密钥")

    @admin.action(description="停用所选设备（拒绝其请求，不再告警）", permissions=["change"])
    def disable(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.exclude(status=Device.Status.DISABLED),
            "停用",
            lambda device: services.device_disable(device=device),
            unit="台设备",
        )

    @admin.action(description="启用所选设备", permissions=["change"])
    def enable(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=Device.Status.DISABLED),
            "启用",
            lambda device: services.device_enable(device=device),
            unit="台设备（收到心跳后显示在线）",
        )


class ReadOnlyHistoryAdmin(CommunityScopedAdmin):
    """What devices did and were told: history, never edited by hand."""

    community_field = "device__community"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeviceCommand)
class DeviceCommandAdmin(ReadOnlyHistoryAdmin):
    list_display = ("id", "device", "kind", "status", "created_at", "expires_at", "acked_at")
    list_filter = ("status", "kind", "device__kind", "device__community")
    list_select_related = ("device",)
    search_fields = ("device__code", "device__name", "kind", "dedupe_key")
    date_hierarchy = "created_at"


@admin.register(DeviceEvent)
class DeviceEventAdmin(ReadOnlyHistoryAdmin):
    list_display = ("event_id", "device", "type", "occurred_at", "received_at")
    list_filter = ("type", "device__kind", "device__community")
    list_select_related = ("device",)
    search_fields = ("event_id", "device__code", "device__name", "type")
    date_hierarchy = "received_at"


@admin.register(DeviceOutage)
class DeviceOutageAdmin(ReadOnlyHistoryAdmin):
    list_display = ("device", "last_seen_at", "detected_at", "ended_at", "notified_count")
    list_filter = ("device__kind", "device__community", ("ended_at", admin.EmptyFieldListFilter))
    list_select_related = ("device",)
    search_fields = ("device__code", "device__name")
    date_hierarchy = "detected_at"
