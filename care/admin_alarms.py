"""The console for 一键呼叫 (imported by care/admin.py): device bindings, and alarms with open ones
first. Staff answer alarms from here as from the staff API (the same services)."""

from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When

from care.models import Alarm, AlarmHistory, AlarmOutcome, CareDevice
from care.services import alarms as services
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service


@admin.register(CareDevice)
class CareDeviceAdmin(CommunityScopedAdmin):
    list_display = ("device", "elder", "community", "room", "note", "is_active")
    list_filter = ("is_active", "community")
    list_select_related = ("device", "elder", "community", "room")
    search_fields = ("device__code", "device__name", "elder__display_name", "elder__phone")
    autocomplete_fields = ("elder",)
    raw_id_fields = ("device", "room")
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change):
        binding = services.care_device_bind(
            device=obj.device,
            elder=obj.elder,
            community=obj.community,
            room=obj.room,
            note=obj.note,
            actor=request.user,
        )
        if not obj.is_active:
            CareDevice.objects.filter(pk=binding.pk).update(is_active=False)
        obj.pk = binding.pk


class AlarmHistoryInline(HistoryInline):
    model = AlarmHistory


class OpenFirst(admin.SimpleListFilter):
    title = "是否结束"
    parameter_name = "unclosed"

    def lookups(self, request, model_admin):
        return [("1", "未结束"), ("0", "已结束")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.exclude(status=Alarm.Status.CLOSED)
        if self.value() == "0":
            return queryset.filter(status=Alarm.Status.CLOSED)
        return queryset


@admin.register(Alarm)
class AlarmAdmin(CommunityScopedAdmin):
    list_display = (
        "raised_at",
        "kind",
        "elder",
        "community",
        "status",
        "press_count",
        "escalation_level",
        "acknowledged_by",
        "acknowledged_at",
        "arrived_at",
        "outcome",
    )
    list_filter = (OpenFirst, "status", "kind", "outcome", "community")
    list_select_related = ("elder", "community", "acknowledged_by")
    search_fields = ("elder__display_name", "elder__phone", "device__code")
    date_hierarchy = "raised_at"
    readonly_fields = [f.name for f in Alarm._meta.concrete_fields]
    inlines = [AlarmHistoryInline]
    actions = ["acknowledge_selected", "close_as_false_alarm", "close_as_handled_at_home"]
    staff_can_add = False

    def has_add_permission(self, request):
        return False  # raised by the devices

    def get_queryset(self, request):
        rank = Case(
            When(status=Alarm.Status.OPEN, then=Value(0)),
            When(status=Alarm.Status.ACKNOWLEDGED, then=Value(1)),
            When(status=Alarm.Status.ON_SITE, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return super().get_queryset(request).annotate(rank=rank).order_by("rank", "-raised_at")

    @admin.action(description="响应所选呼叫（停止催办）")
    def acknowledge_selected(self, request, queryset):
        apply_service(
            self, request, queryset, "响应", lambda a: services.alarm_acknowledge(alarm=a, actor=request.user)
        )

    def _close(self, request, queryset, outcome):
        label = AlarmOutcome(outcome).label
        apply_service(
            self,
            request,
            queryset,
            f"按「{label}」结束",
            lambda a: services.alarm_close(alarm=a, actor=request.user, outcome=outcome, note="后台结束"),
        )

    @admin.action(description="结束所选呼叫：误报")
    def close_as_false_alarm(self, request, queryset):
        self._close(request, queryset, AlarmOutcome.FALSE_ALARM)

    @admin.action(description="结束所选呼叫：居家处置")
    def close_as_handled_at_home(self, request, queryset):
        self._close(request, queryset, AlarmOutcome.HANDLED_AT_HOME)
