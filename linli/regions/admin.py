from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin
from linli.console.export import ExportMixin
from linli.regions.models import Building, Community, Estate, Room, Street


class CommunityInline(admin.TabularInline):
    model = Community
    extra = 0
    fields = ("name", "code", "address", "is_future_community")
    show_change_link = True


@admin.register(Street)
class StreetAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "district", "city", "code")
    list_filter = ("kind", "city", "district")
    search_fields = ("name", "code", "district")
    inlines = [CommunityInline]


@admin.register(Community)
class CommunityAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "street", "code", "is_future_community", "created_at")
    list_filter = ("is_future_community", "street__district", "street")
    list_select_related = ("street",)
    search_fields = ("name", "code", "address", "street__name")
    autocomplete_fields = ("street",)


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0
    fields = ("name", "unit")
    show_change_link = True


@admin.register(Estate)
class EstateAdmin(CommunityScopedAdmin):
    list_display = ("name", "community", "address")
    fields = ("community", "name", "address", ("latitude", "longitude"))
    list_filter = ("community",)
    list_select_related = ("community",)
    search_fields = ("name", "address")
    inlines = [BuildingInline]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ("number", "floor", "area_m2")


@admin.register(Building)
class BuildingAdmin(CommunityScopedAdmin):
    community_field = "estate__community"
    list_display = ("__str__", "estate", "name", "unit")
    list_filter = ("estate__community",)
    list_select_related = ("estate",)
    search_fields = ("name", "estate__name")
    autocomplete_fields = ("estate",)
    inlines = [RoomInline]


@admin.register(Room)
class RoomAdmin(CommunityScopedAdmin):
    community_field = "building__estate__community"
    list_display = ("__str__", "number", "floor", "area_m2")
    list_filter = ("building__estate__community", "building__estate")
    search_fields = ("number", "building__name", "building__estate__name")
    autocomplete_fields = ("building",)
