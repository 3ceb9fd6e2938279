"""党建联盟 in the console: alliances and their units, the three lists (resources, needs, projects).

An alliance belongs to a street or a community; staff see the alliances of their communities and of
their communities' streets. Unit contacts get the role 共建单位联络人 from the unit's action (the user
must exist: a WeChat login, or an account created by an administrator)."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from linli.accounts.models import Membership, Role, User
from linli.console.admin import CommunityScopedAdmin, HistoryInline, apply_service
from linli.console.selectors import console_community_ids
from participation.models import Alliance, AllianceUnit, Need, Project, ProjectHistory, Resource
from participation.selectors.alliance import covering
from participation.services import alliance as services


class AllianceScopedAdmin(CommunityScopedAdmin):
    """Scoped by the alliance (at `alliance_path`): its community or its street is the staff's."""

    alliance_path = ""

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        ids = console_community_ids(request.user)
        if ids is None:
            return qs
        return qs.filter(covering(ids, prefix=self.alliance_path)).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = console_community_ids(request.user)
        if ids is not None and db_field.related_model is Alliance:
            kwargs["queryset"] = Alliance.objects.filter(covering(ids))
        if ids is not None and db_field.related_model is AllianceUnit:
            kwargs["queryset"] = AllianceUnit.objects.filter(covering(ids, prefix="alliance__"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitInline(admin.TabularInline):
    model = AllianceUnit
    extra = 0
    fields = ("name", "kind", "contact_name", "contact_phone", "joined_on", "is_active")
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Alliance)
class AllianceAdmin(AllianceScopedAdmin):
    list_display = ("name", "street", "community", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("street", "community")
    search_fields = ("name",)
    inlines = [UnitInline]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class UnitForm(forms.ModelForm):
    contact_username = forms.CharField(
        label="新增联络人（用户名）",
        max_length=150,
        required=False,
        help_text="该用户获得「共建单位联络人」角色，可在小程序管理本单位资源、查看使用本单位资源的项目",
    )

    class Meta:
        model = AllianceUnit
        fields = ["alliance", "name", "kind", "address", "contact_name", "contact_phone", "joined_on", "is_active"]

    def clean_contact_username(self):
        username = self.cleaned_data["contact_username"].strip()
        if username and not User.objects.filter(username=username, is_active=True).exists():
            raise forms.ValidationError("用户不存在")
        return username


@admin.register(AllianceUnit)
class AllianceUnitAdmin(AllianceScopedAdmin):
    alliance_path = "alliance__"
    form = UnitForm
    list_display = ("name", "kind", "alliance", "contact_name", "contact_phone", "joined_on", "is_active")
    list_filter = ("kind", "is_active", "alliance")
    list_select_related = ("alliance",)
    search_fields = ("name", "contact_name")
    readonly_fields = ("contacts",)

    def has_delete_permission(self, request, obj=None):
        return False  # leaving the alliance is 在盟 unticked; resources and projects keep their unit

    @admin.display(description="联络人账号")
    def contacts(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        users = Membership.objects.filter(
            role=Role.ALLIANCE_MEMBER, scope_type=ContentType.objects.get_for_model(AllianceUnit), scope_id=obj.pk
        ).select_related("user")
        return "、".join(str(m.user) for m in users) or "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        username = form.cleaned_data.get("contact_username")
        if username:
            services.unit_contact_add(unit=obj, user=User.objects.get(username=username))


@admin.register(Resource)
class ResourceAdmin(AllianceScopedAdmin):
    alliance_path = "unit__alliance__"
    list_display = ("title", "kind", "unit", "availability", "quantity", "status", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("unit",)
    search_fields = ("title", "description", "unit__name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Need)
class NeedAdmin(CommunityScopedAdmin):
    list_display = ("title", "kind", "community", "alliance", "status", "created_at")
    list_filter = ("status", "kind", "community")
    list_select_related = ("community", "alliance")
    search_fields = ("title", "description")
    readonly_fields = ("created_by",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = console_community_ids(request.user)
        if ids is not None and db_field.related_model is Alliance:
            kwargs["queryset"] = Alliance.objects.filter(covering(ids))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class ProjectHistoryInline(HistoryInline):
    model = ProjectHistory


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["need", "resources", "title", "plan", "starts_on", "ends_on", "outcome", "beneficiaries"]

    def clean(self):
        data = super().clean()
        need, resources = data.get("need"), data.get("resources")
        if self.instance.pk is None:
            if need is None:
                self.add_error("need", "请选择对接的需求")
            elif need.status == Need.Status.CLOSED:
                self.add_error("need", "需求已关闭")
            for resource in resources or []:
                if need is not None and resource.unit.alliance_id != need.alliance_id:
                    self.add_error("resources", f"资源「{resource.title}」不属于该需求的联盟")
                elif resource.status != Resource.Status.PUBLISHED:
                    self.add_error("resources", f"资源「{resource.title}」未发布")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data


@admin.register(Project)
class ProjectAdmin(CommunityScopedAdmin):
    form = ProjectForm
    list_display = ("title", "community", "alliance", "starts_on", "ends_on", "status", "beneficiaries")
    list_filter = ("status", "community")
    list_select_related = ("community", "alliance")
    search_fields = ("title", "plan", "outcome")
    date_hierarchy = "starts_on"
    filter_horizontal = ("resources",)
    inlines = [ProjectHistoryInline]
    actions = ["start_selected", "complete_selected"]

    def get_readonly_fields(self, request, obj=None):
        return ("need", "status", "completed_on") if obj else ("status", "completed_on")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = console_community_ids(request.user)
        if ids is not None and db_field.related_model is Need:
            kwargs["queryset"] = Need.objects.filter(community_id__in=ids).exclude(status=Need.Status.CLOSED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = console_community_ids(request.user)
        if db_field.name == "resources":
            qs = Resource.objects.select_related("unit").filter(status=Resource.Status.PUBLISHED)
            kwargs["queryset"] = qs if ids is None else qs.filter(covering(ids, prefix="unit__alliance__"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        project = services.project_create(
            need=data["need"],
            resources=list(data["resources"]),
            title=data["title"],
            plan=data.get("plan", ""),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
        )
        obj.pk, obj.alliance_id, obj.community_id, obj.created_at = (
            project.pk,
            project.alliance_id,
            project.community_id,
            project.created_at,
        )
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="启动所选的计划中项目")
    def start_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset.filter(status=Project.Status.PLANNED),
            "启动",
            lambda p: services.project_start(project=p, actor=request.user),
            unit="个项目",
        )

    @admin.action(description="完成所选项目（先在项目中填写成效报告）")
    def complete_selected(self, request, queryset):
        apply_service(
            self,
            request,
            queryset,
            "完成",
            lambda p: services.project_complete(
                project=p, actor=request.user, outcome=p.outcome, beneficiaries=p.beneficiaries
            ),
            unit="个项目",
        )
