"""党员 in the console: registrations to confirm (with their history) and the 报到 records."""

from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from participation.models import PartyMember, PartyMemberHistory, PartyReport
from participation.services import party as services


class PartyMemberHistoryInline(HistoryInline):
    model = PartyMemberHistory


class PartyReportInline(admin.TabularInline):
    model = PartyReport
    extra = 0
    can_delete = False
    fields = ("community", "reported_on", "workplace", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartyMember)
class PartyMemberAdmin(CommunityScopedAdmin):
    list_display = ("user", "kind", "organisation", "workplace", "joined_on", "community", "status", "created_at")
    list_filter = ("status", "kind", "community")
    list_select_related = ("user", "community")
    search_fields = ("user__display_name", "user__username", "organisation", "workplace")
    readonly_fields = [f.name for f in PartyMember._meta.fields]
    inlines = [PartyReportInline, PartyMemberHistoryInline]
    actions = ["confirm_selected"]

    def has_add_permission(self, request):
        return False  # residents register in the mini-program

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="确认所选的待确认党员")
    def confirm_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=PartyMember.Status.PENDING),
            "确认",
            lambda m: services.party_member_confirm(member=m, actor=request.user, note="后台确认"),
            unit="名党员",
        )


@admin.register(PartyReport)
class PartyReportAdmin(CommunityScopedAdmin):
    list_display = ("member", "community", "reported_on", "workplace", "note")
    list_filter = ("community",)
    list_select_related = ("member__user", "community")
    search_fields = ("member__user__display_name", "workplace")
    date_hierarchy = "reported_on"
    readonly_fields = [f.name for f in PartyReport._meta.fields]

    def has_add_permission(self, request):
        return False  # 在职党员 report themselves

    def has_delete_permission(self, request, obj=None):
        return False
