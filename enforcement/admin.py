"""The enforcement console: catalogue, teams, empowerment lists (with CSV import), reports, joint
inspections, cases with their provincial push, and the Open311 client apps (keys shown once).

Admin actions call the same services as the API, so the rules (and notifications) are the same.
"""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from enforcement import selectors
from enforcement.models import (
    Case,
    CaseHistory,
    Category,
    Domain,
    Empowerment,
    Finding,
    Inspection,
    InspectionHistory,
    Matter,
    Open311Client,
    PlatformUpdate,
    ProblemReport,
    ReportHistory,
    ReportRequest,
    ReportRequestHistory,
    SandboxPush,
    Scenario,
    SensorEpisode,
    SyncedRecord,
    SyncUpdate,
    Target,
    Team,
)
from enforcement.services import cases as case_services
from enforcement.services import open311 as open311_services
from enforcement.services import reports as report_services
from enforcement.services import sync as sync_services
from enforcement.services.catalogue import ImportFailed, empowerments_import
from linli.api.errors import DomainError
from linli.console.admin import HistoryInline, apply_service
from linli.console.export import ExportMixin
from linli.uploads.admin import photo_previews


class TeamScopedAdmin(ExportMixin, admin.ModelAdmin):
    """Scoped like the enforcement API: the district command centre (and superusers) see every row,
    an officer or grid worker only their teams' rows. Community staff have no enforcement rights, so
    the changelists, search, autocomplete and export stay closed to them (Django model permissions).
    """

    team_field = "team"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if selectors.is_dispatcher(request.user):
            return queryset
        teams = selectors.team_memberships().filter(user=request.user).values("scope_id")
        return queryset.filter(**{f"{self.team_field}__in": teams}).distinct()


@admin.register(Domain)
class DomainAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "code", "department", "sort_order")
    list_select_related = ("department",)
    search_fields = ("name", "code")
    list_editable = ("sort_order",)


@admin.register(Matter)
class MatterAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("code", "name", "domain", "deadline_hours", "is_active")
    list_filter = ("domain", "is_active")
    list_select_related = ("domain",)
    search_fields = ("code", "name", "legal_basis")


@admin.register(Category)
class CategoryAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "code", "matter", "is_public", "sort_order")
    list_filter = ("is_public", "matter__domain")
    list_select_related = ("matter",)
    search_fields = ("name", "code")
    autocomplete_fields = ("matter",)


@admin.register(Scenario)
class ScenarioAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "place_kind", "lead_team")
    list_select_related = ("lead_team",)
    list_filter = ("lead_team",)
    search_fields = ("name",)
    filter_horizontal = ("matters",)


@admin.register(Team)
class TeamAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "street", "phone", "accept_minutes", "is_active")
    list_filter = ("kind", "street", "is_active")
    list_select_related = ("street",)
    search_fields = ("name", "code")
    filter_horizontal = ("matters",)


class EmpowermentImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件")


@admin.register(Empowerment)
class EmpowermentAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("street", "matter", "since", "until", "document")
    list_filter = ("street", "matter__domain")
    list_select_related = ("street", "matter")
    search_fields = ("matter__code", "matter__name", "document")
    autocomplete_fields = ("matter",)
    date_hierarchy = "since"

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="enforcement_empowerment_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            messages.error(request, "没有导入权限")
            return redirect("..")
        form = EmpowermentImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                result = empowerments_import(text=text)
            except UnicodeDecodeError:
                messages.error(request, "文件不是 UTF-8 编码")
            except ImportFailed as exc:
                for line in exc.extra.get("errors") or [exc.message]:
                    messages.error(request, line)
            else:
                messages.success(
                    request, f"导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
                )
                return redirect("..")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "导入赋权清单",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/enforcement/empowerment/import.html", context)


class ReportHistoryInline(HistoryInline):
    model = ReportHistory
    fields = ("created_at", "action", "from_status", "to_status", "actor", "team", "note", "internal")


@admin.register(ProblemReport)
class ProblemReportAdmin(TeamScopedAdmin):
    list_display = ("id", "category", "channel", "street", "team", "status", "outcome", "deadline_at", "created_at")
    list_filter = ("status", "channel", "outcome", "category", "team__kind", "escalation_level")
    list_select_related = ("category", "street", "team")
    search_fields = ("id", "description", "address")
    date_hierarchy = "created_at"
    raw_id_fields = ("reporter", "assignee", "merged_into", "device", "open311_client")
    readonly_fields = (
        "status",
        "team",
        "dispatched_at",
        "deadline_at",
        "resolved_at",
        "closed_at",
        "escalation_level",
        "merged_into",
        "is_public",  # the reporter's choice, not staff's
        "rating",
        "rating_comment",
        "photo_previews",
        "external_media_url",
        "created_at",
        "updated_at",
    )
    inlines = [ReportHistoryInline]

    @admin.display(description="照片")
    def photo_previews(self, report):
        return photo_previews(report.photo_links.select_related("upload"))

    actions = ["dispatch", "escalate_now"]

    @admin.action(description="按赋权清单派遣所选的待派遣线索（调度员）")
    def dispatch(self, request, queryset):
        def dispatch_one(report):
            team = selectors.responsible_team(
                matter=report.matter, street_id=report.street_id, day=timezone.localdate(report.created_at)
            )
            if team is None:
                raise DomainError("没有对应的承办队伍，请在调度台人工派遣", code="no_team")
            report_services.report_dispatch(report=report, actor=request.user, team=team)

        waiting = queryset.filter(status=ProblemReport.Status.REPORTED).select_related("matter__domain")
        apply_service(self, request, waiting, "派遣", dispatch_one)

    @admin.action(description="立即检查超期并升级（每级一次）")
    def escalate_now(self, request, queryset):
        now = timezone.now()

        def escalate(report):
            if not report_services.report_escalate(report_id=report.pk, now=now):
                raise DomainError("未超期，或本级已升级过", code="not_overdue")

        overdue = queryset.filter(status__in=ProblemReport.WORKING_STATUSES, deadline_at__lt=now)
        apply_service(self, request, overdue, "升级", escalate, unit="条线索")


class ReportRequestHistoryInline(HistoryInline):
    model = ReportRequestHistory


@admin.register(ReportRequest)
class ReportRequestAdmin(TeamScopedAdmin):
    list_display = ("report", "kind", "status", "team", "reason", "requested_by", "created_at", "decided_by")
    list_filter = ("kind", "status", "team")
    list_select_related = ("report__category", "team", "requested_by", "decided_by")
    readonly_fields = [f.name for f in ReportRequest._meta.fields]
    date_hierarchy = "created_at"
    inlines = [ReportRequestHistoryInline]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, approve: bool, label: str):
        apply_service(
            self,
            request,
            queryset,
            label,
            lambda item: report_services.report_request_decide(
                request=item, actor=request.user, approve=approve, note="后台审批"
            ),
            unit="条申请",
        )

    @admin.action(description="批准所选申请")
    def approve(self, request, queryset):
        self._decide(request, queryset, True, "批准")

    @admin.action(description="驳回所选申请")
    def reject(self, request, queryset):
        self._decide(request, queryset, False, "驳回")


@admin.register(SensorEpisode)
class SensorEpisodeAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("device", "metric", "threshold", "peak_value", "opened_at", "closed_at", "readings", "report")
    list_filter = ("metric",)
    list_select_related = ("device", "report")
    readonly_fields = [f.name for f in SensorEpisode._meta.fields]


@admin.register(Target)
class TargetAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "street", "credit_code", "whitelisted", "whitelist_until")
    list_filter = ("kind", "street", "whitelisted")
    list_select_related = ("street",)
    search_fields = ("name", "credit_code", "address")


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ("matter", "team", "recorded_by", "severity", "description", "report")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class InspectionHistoryInline(HistoryInline):
    model = InspectionHistory


@admin.register(Inspection)
class InspectionAdmin(TeamScopedAdmin):
    team_field = "teams"
    list_display = ("target", "kind", "status", "planned_at", "lead_team", "completed_at")
    list_filter = ("status", "kind", "lead_team")
    list_select_related = ("target", "lead_team")
    search_fields = ("target__name",)
    date_hierarchy = "planned_at"
    readonly_fields = ("status", "started_at", "completed_at", "created_by")
    filter_horizontal = ("matters", "teams")
    inlines = [FindingInline, InspectionHistoryInline]


class CaseHistoryInline(HistoryInline):
    model = CaseHistory


@admin.register(Case)
class CaseAdmin(TeamScopedAdmin):
    list_display = ("number", "matter", "team", "party_name", "status", "push_status", "external_id", "platform_status")
    list_filter = ("status", "push_status", "team", "year")
    list_select_related = ("matter", "team")
    search_fields = ("number", "party_name", "party_code", "external_id")
    date_hierarchy = "filed_at"
    readonly_fields = (
        "year",
        "seq",
        "number",
        "status",
        "filed_by",
        "filed_at",
        "push_status",
        "push_attempts",
        "pushed_at",
        "push_error",
        "external_id",
        "platform_status",
        "platform_status_at",
    )
    raw_id_fields = ("report", "finding")
    inlines = [CaseHistoryInline]
    actions = ["push_again"]

    def has_add_permission(self, request):
        return False  # cases are filed through the API (numbering, push)

    @admin.action(description="重新推送省平台（推送失败的）")
    def push_again(self, request, queryset):
        apply_service(
            self,
            request,
            queryset,
            "重新排队推送",
            lambda case: case_services.case_push_again(case=case, actor=request.user),
            unit="件",
        )


@admin.register(PlatformUpdate)
class PlatformUpdateAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("update_id", "external_id", "case", "status", "occurred_at", "applied", "received_at")
    list_filter = ("applied", "status")
    search_fields = ("update_id", "external_id")
    readonly_fields = [f.name for f in PlatformUpdate._meta.fields]


@admin.register(SandboxPush)
class SandboxPushAdmin(admin.ModelAdmin):
    list_display = ("external_id", "idempotency_key", "received_at")
    search_fields = ("external_id", "idempotency_key")
    readonly_fields = [f.name for f in SandboxPush._meta.fields]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key_prefix", "contact", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "contact", "key_prefix")
    fields = ("name", "contact", "is_active", "key_prefix", "created_at", "last_used_at")
    readonly_fields = ("key_prefix", "created_at", "last_used_at")
    actions = ["rotate_key"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, raw_key = open311_services.open311_client_issue(name=obj.name, contact=obj.contact)
        obj.pk, obj.key_hash, obj.key_prefix = client.pk, client.key_hash, client.key_prefix
        if not obj.is_active:
            Open311Client.objects.filter(pk=client.pk).update(is_active=False)
        messages.warning(request, f"「{obj.name}」的 api_key（只显示这一次，请立即交给对方）：{raw_key}")

    @admin.action(description="重新生成 api_key（旧密钥立即失效）")
    def rotate_key(self, request, queryset):
        def rotate(client):
            raw_key = open311_services.open311_client_rotate(client=client)
            messages.warning(request, f"「{client.name}」的新 api_key（只显示这一次）：{raw_key}")

        apply_service(self, request, queryset, "重新生成密钥", rotate, unit="个")


@admin.register(SyncedRecord)
class SyncedRecordAdmin(ExportMixin, admin.ModelAdmin):
    """线索与联合检查在省平台的同步情况；推送失败的可重新推送（区指挥中心）。"""

    list_display = (
        "kind",
        "object_id",
        "version",
        "pushed_version",
        "push_status",
        "external_id",
        "platform_status",
        "platform_status_at",
        "updated_at",
    )
    list_filter = ("kind", "push_status")
    search_fields = ("external_id", "=object_id")
    readonly_fields = [f.name for f in SyncedRecord._meta.fields]
    actions = ["push_again"]

    def has_add_permission(self, request):
        return False  # rows appear as reports and inspections change

    @admin.action(description="重新推送省平台（推送失败的）")
    def push_again(self, request, queryset):
        apply_service(
            self,
            request,
            queryset,
            "重新排队推送",
            lambda record: sync_services.record_push_again(record=record, actor=request.user),
            unit="条",
        )


@admin.register(SyncUpdate)
class SyncUpdateAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("update_id", "kind", "external_id", "record", "status", "occurred_at", "applied", "received_at")
    list_filter = ("kind", "applied")
    search_fields = ("update_id", "external_id")
    readonly_fields = [f.name for f in SyncUpdate._meta.fields]


from enforcement import geography_admin  # noqa: E402, F401  (boundaries, stations, shifts, offers)
