"""The console for visitors and the gate: gate devices and what they are bound to, visitor passes (read
only, never their codes), the entry log where the gatekeeper registers walk-ins, and plate reads."""

from django import forms
from django.contrib import admin

from linli.console.admin import CommunityScopedAdmin
from linli.console.selectors import console_community_ids
from linli.devices.models import Device
from linli.regions.models import Estate
from property.models import GateDevice, GateEntry, PlateRead, VisitorPass, normalise_plate
from property.services import gate as services


class EstateScopedForms:
    """Estate choices limited to the staff member's communities (the base limits Community ones)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Estate:
            ids = console_community_ids(request.user)
            kwargs["queryset"] = Estate.objects.filter(**({} if ids is None else {"community_id__in": ids}))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(GateDevice)
class GateDeviceAdmin(EstateScopedForms, CommunityScopedAdmin):
    list_display = ("device", "estate", "community")
    list_filter = ("community",)
    list_select_related = ("device", "estate", "community")
    search_fields = ("device__code", "device__name", "estate__name")
    fields = ("device", "estate")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "device":
            devices = Device.objects.filter(kind__in=[Device.Kind.GATE, Device.Kind.PLATE_CAMERA])
            ids = console_community_ids(request.user)
            kwargs["queryset"] = devices if ids is None else devices.filter(community_id__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(VisitorPass)
class VisitorPassAdmin(CommunityScopedAdmin):
    list_display = (
        "visitor_name",
        "room",
        "host",
        "plate",
        "valid_from",
        "valid_until",
        "entries_used",
        "entries_allowed",
        "revoked_at",
    )
    list_filter = ("community", ("estate", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("room__building__estate", "host")
    search_fields = ("visitor_name", "plate", "room__number")
    date_hierarchy = "valid_from"
    # No code: it opens the gate, and only the host who invited the visitor holds it.
    fields = (
        "estate",
        "room",
        "host",
        "visitor_name",
        "visitor_phone",
        "plate",
        "valid_from",
        "valid_until",
        "entries_allowed",
        "entries_used",
        "revoked_at",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # residents invite in the mini-program

    def has_delete_permission(self, request, obj=None):
        return False


class WalkInForm(forms.ModelForm):
    """The walk-in's rules as form errors (the service checks them again)."""

    class Meta:
        model = GateEntry
        fields = ("estate", "room", "visitor_name", "visitor_phone", "plate", "note")

    def clean(self):
        data = super().clean()
        estate, room = data.get("estate"), data.get("room")
        if estate and room and room.building.estate_id != estate.pk:
            self.add_error("room", "该房屋不在此小区")
        plate = normalise_plate(data.get("plate") or "")
        if plate and not services.PLATE_RE.match(plate):
            self.add_error("plate", "车牌号格式不正确，如 浙H12345")
        if not data.get("visitor_name"):
            self.add_error("visitor_name", "请填写访客姓名")
        return data


@admin.register(GateEntry)
class GateEntryAdmin(EstateScopedForms, CommunityScopedAdmin):
    """The entry log. 「增加」 registers a walk-in visitor (人工登记); recorded entries are not edited."""

    list_display = ("at", "estate", "visitor_name", "method", "result", "reason", "plate", "device", "registered_by")
    list_filter = ("result", "method", "reason", "community", ("estate", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("estate", "device", "registered_by")
    search_fields = ("visitor_name", "plate", "note")
    date_hierarchy = "at"
    walk_in_fields = ("estate", "room", "visitor_name", "visitor_phone", "plate", "note")
    raw_id_fields = ("room",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = WalkInForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.walk_in_fields
        return [f.name for f in GateEntry._meta.fields if f.name not in ("id", "request_id")]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # read only
        ids = console_community_ids(request.user)
        entry = services.walk_in_register(
            staff=request.user,
            estate=obj.estate,
            room=obj.room,
            visitor_name=obj.visitor_name,
            visitor_phone=obj.visitor_phone,
            plate=obj.plate,
            note=obj.note,
            staff_community_ids=None if ids is None else set(ids),
        )
        obj.pk, obj.at, obj.community_id = entry.pk, entry.at, entry.community_id


@admin.register(PlateRead)
class PlateReadAdmin(CommunityScopedAdmin):
    list_display = ("at", "plate", "estate", "result", "reason", "device", "permit", "entry")
    list_filter = ("result", "reason", "community", ("estate", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("estate", "device", "permit", "entry")
    search_fields = ("plate",)
    date_hierarchy = "at"
    readonly_fields = [f.name for f in PlateRead._meta.fields]

    def has_add_permission(self, request):
        return False  # the cameras report them

    def has_delete_permission(self, request, obj=None):
        return False
