from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from property.models import ParkingPermit, Vehicle, VehicleHistory
from property.services import vehicles as services


class VehicleHistoryInline(HistoryInline):
    model = VehicleHistory


class PermitInline(admin.TabularInline):
    model = ParkingPermit
    extra = 0
    can_delete = False
    fields = ("valid_from", "valid_until", "status", "bill")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Vehicle)
class VehicleAdmin(CommunityScopedAdmin):
    list_display = ("plate", "room", "description", "status", "registered_by", "created_at")
    list_filter = ("status", "community")
    list_select_related = ("room__building__estate", "registered_by")
    search_fields = ("plate", "room__number", "description")
    readonly_fields = [f.name for f in Vehicle._meta.fields]
    inlines = [PermitInline, VehicleHistoryInline]
    actions = ["confirm_selected"]

    def has_add_permission(self, request):
        return False  # households register their vehicles in the mini-program

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="确认所选的待确认车辆")
    def confirm_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=Vehicle.Status.PENDING),
            "确认",
            lambda v: services.vehicle_confirm(vehicle=v, actor=request.user),
            unit="辆车",
        )


@admin.register(ParkingPermit)
class ParkingPermitAdmin(CommunityScopedAdmin):
    list_display = ("plate", "vehicle", "valid_from", "valid_until", "status", "bill")
    list_filter = ("status", "community")
    list_select_related = ("vehicle__room__building__estate", "bill")
    search_fields = ("plate",)
    date_hierarchy = "valid_from"
    readonly_fields = [f.name for f in ParkingPermit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
