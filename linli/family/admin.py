"""亲情账号 in the staff console: managed elders (registered here with their guardian), and the bindings
and 代办记录 of the community's residents, read-only (only the two sides change a binding)."""

from django import forms
from django.contrib import admin

from linli.accounts.models import User
from linli.api.serializers import PHONE_RE
from linli.console.admin import CommunityScopedAdmin, HistoryInline
from linli.family import services
from linli.family.models import FamilyAct, FamilyBinding, FamilyBindingHistory, ManagedElder


class ManagedElderForm(forms.ModelForm):
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    birth_date = forms.DateField(label="出生日期", required=False, help_text="如 1938-03-02")
    guardian_phone = forms.CharField(
        label="监护人手机号", max_length=20, required=False, help_text="监护人须已登录小程序并绑定该手机号"
    )
    relation = forms.CharField(label="与老人关系", max_length=20, required=False, help_text="如 儿子、女儿")

    class Meta:
        model = ManagedElder
        fields = ("community", "note")

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            for name in ("display_name", "birth_date", "guardian_phone"):
                if not data.get(name):
                    self.add_error(name, "必填")
            phone = data.get("guardian_phone") or ""
            if phone and not PHONE_RE.match(phone):
                self.add_error("guardian_phone", "请输入 11 位中国大陆手机号")
            elif phone and not User.objects.filter(phone=phone, is_active=True).exists():
                self.add_error("guardian_phone", "该手机号尚未注册，请家属先登录小程序并绑定手机号")
        return data


@admin.register(ManagedElder)
class ManagedElderAdmin(CommunityScopedAdmin):
    form = ManagedElderForm
    list_display = ("user", "community", "guardian", "note", "created_by", "created_at")
    list_filter = ("community",)
    search_fields = ("user__display_name", "note")
    list_select_related = ("user", "community", "created_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("community", "display_name", "birth_date", "guardian_phone", "relation", "note")
        return ("user", "community", "guardian", "note", "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "community", "guardian", "created_by", "created_at") if obj is not None else ()

    @admin.display(description="监护人")
    def guardian(self, obj):
        from linli.family.selectors import guardian_of

        binding = guardian_of(obj.user)
        return f"{binding.member}（{binding.relation or '监护人'}）" if binding else "—"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        managed = services.managed_elder_create(
            staff=request.user,
            community_id=data["community"].pk,
            display_name=data["display_name"],
            birth_date=data["birth_date"],
            guardian_phone=data["guardian_phone"],
            relation=data.get("relation") or "",
            note=data.get("note") or "",
        )
        obj.pk, obj.user_id, obj.created_at = managed.pk, managed.user_id, managed.created_at


class BindingHistoryInline(HistoryInline):
    model = FamilyBindingHistory
    fields = ("created_at", "action", "from_status", "to_status", "actor", "note", "permissions")


@admin.register(FamilyBinding)
class FamilyBindingAdmin(CommunityScopedAdmin):
    # Staff see the bindings of their residents; only the elder and the family member change them.
    community_field = "principal__memberships__community"
    staff_can_add = False
    staff_can_change = False
    list_display = ("principal", "member", "relation", "status", "view_health", "act_for", "pay_for", "receive_alerts")
    list_filter = ("status", "is_guardian", "act_for", "receive_alerts")
    search_fields = ("principal__display_name", "member__display_name", "relation")
    list_select_related = ("principal", "member")
    readonly_fields = [f.name for f in FamilyBinding._meta.fields]
    inlines = [BindingHistoryInline]


@admin.register(FamilyAct)
class FamilyActAdmin(CommunityScopedAdmin):
    community_field = "beneficiary__memberships__community"
    staff_can_add = False
    staff_can_change = False
    list_display = ("created_at", "actor", "beneficiary", "kind", "summary")
    list_filter = ("kind",)
    search_fields = ("actor__display_name", "beneficiary__display_name", "summary")
    list_select_related = ("actor", "beneficiary")
    readonly_fields = [f.name for f in FamilyAct._meta.fields]
