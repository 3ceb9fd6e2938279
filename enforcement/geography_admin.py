"""The console for enforcement geography and duty: boundaries (with GeoJSON import), liaison
stations, duty shifts and dispatch offers. Imported by enforcement/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from enforcement import geo, selectors
from enforcement.models import Boundary, DispatchOffer, LiaisonStation, Shift
from enforcement.services.geography import MAX_IMPORT_BYTES, BoundaryImportFailed, boundaries_import
from linli.console.export import ExportMixin


class BoundaryForm(forms.ModelForm):
    class Meta:
        model = Boundary
        fields = ("kind", "name", "street", "team", "geometry")

    def clean_geometry(self):
        try:
            return geo.clean_geometry(self.cleaned_data["geometry"])
        except geo.GeometryError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if data.get("kind") == Boundary.Kind.SQUAD and not data.get("team"):
            self.add_error("team", "中队责任区须选择执法中队")
        if data.get("geometry"):
            box = geo.bbox(data["geometry"])
            self.instance.min_lat, self.instance.max_lat, self.instance.min_lng, self.instance.max_lng = box
        return data


class BoundaryImportForm(forms.Form):
    kind = forms.ChoiceField(label="边界类型", choices=Boundary.Kind.choices)
    file = forms.FileField(label="GeoJSON 文件")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"文件过大（上限 {MAX_IMPORT_BYTES // 1024 // 1024} MB）")
        return upload


@admin.register(Boundary)
class BoundaryAdmin(ExportMixin, admin.ModelAdmin):
    form = BoundaryForm
    list_display = ("name", "kind", "street", "team", "bbox_text", "updated_at")
    list_filter = ("kind", "street")
    list_select_related = ("street", "team")
    search_fields = ("name",)
    readonly_fields = ("min_lat", "max_lat", "min_lng", "max_lng")

    @admin.display(description="外接矩形")
    def bbox_text(self, boundary):
        return f"{boundary.min_lat:.4f}–{boundary.max_lat:.4f}, {boundary.min_lng:.4f}–{boundary.max_lng:.4f}"

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="enforcement_boundary_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            messages.error(request, "没有导入权限")
            return redirect("..")
        form = BoundaryImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                content = form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1)
                result = boundaries_import(kind=form.cleaned_data["kind"], content=content)
            except BoundaryImportFailed as exc:
                for line in exc.extra.get("errors") or [exc.message]:
                    messages.error(request, line)
            else:
                messages.success(request, f"导入完成：{result.saved} 个边界")
                return redirect("..")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "导入区划边界",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/enforcement/boundary/import.html", context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "geometry":
            field.help_text = "GeoJSON Polygon 或 MultiPolygon，坐标为 [经度, 纬度]"
        return field


@admin.register(LiaisonStation)
class LiaisonStationAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("name", "code", "street", "village", "phone", "is_active")
    list_filter = ("street", "is_active")
    list_select_related = ("street", "village")
    search_fields = ("name", "code")


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ("team", "date", "starts_at", "ends_at", "officers", "note")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "结束时间须晚于开始时间")
        team, officers = data.get("team"), data.get("officers")
        if team and officers is not None:
            members = set(selectors.officer_ids(team.pk))
            if any(u.pk not in members for u in officers):
                self.add_error("officers", "值班人员须为本中队执法人员")
        return data


@admin.register(Shift)
class ShiftAdmin(ExportMixin, admin.ModelAdmin):
    form = ShiftForm
    list_display = ("team", "date", "starts_at", "ends_at", "officer_names", "note")
    list_filter = ("team", "date")
    list_select_related = ("team",)
    autocomplete_fields = ("officers",)
    date_hierarchy = "date"

    def get_queryset(self, request):
        return selectors.shifts_for_staff(request.user)  # dispatchers all, officers their squads'

    @admin.display(description="值班人员")
    def officer_names(self, shift):
        return "、".join(str(u) for u in shift.officers.all())


@admin.register(DispatchOffer)
class DispatchOfferAdmin(ExportMixin, admin.ModelAdmin):
    """Read-only: offers are made and settled by duty dispatch, never by hand."""

    list_display = ("report", "team", "officer", "status", "distance_m", "offered_at", "expires_at", "decided_at")
    list_filter = ("status", "team")
    list_select_related = ("report__category", "team", "officer")
    search_fields = ("report__id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
