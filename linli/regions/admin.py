from django.contrib import admin

from linli.console.export import ExportMixin
from linli.regions.models import Community, Street


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
