from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError

from linli.accounts import lockout, services
from linli.accounts.models import Membership, User
from linli.console.admin import apply_service
from linli.console.export import ExportMixin


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form with the same brute-force lockout as the API's password login."""

    def clean(self):
        username = self.cleaned_data.get("username")
        ip = lockout.client_ip(self.request) if self.request is not None else None
        if username is None or self.cleaned_data.get("password") is None:
            return super().clean()  # incomplete: no password is checked, nothing to count
        try:
            # Counted before the password is checked, so parallel guesses cannot outrun the limit.
            attempt = lockout.reserve(username=username, ip=ip)
        except lockout.LoginLocked as exc:
            raise ValidationError(exc.message, code="login_locked") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            attempt.failed()
            raise
        if self.user_cache is not None:
            attempt.succeeded(username=self.user_cache.get_username())
        return cleaned


admin.site.login_form = LockoutAdminAuthenticationForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("role", "community", "street", "scope_type", "scope_id", "position", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("community", "street")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "phone", "wechat_openid", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__role")
    search_fields = ("username", "display_name", "phone", "wechat_openid")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "邻礼通资料",
            {"fields": ("display_name", "phone", "birth_date", "avatar", "wechat_openid", "wechat_unionid")},
        ),
    )
    readonly_fields = ("wechat_openid", "wechat_unionid", "last_login", "date_joined")
    raw_id_fields = ("avatar",)
    inlines = [MembershipInline]
    actions = ["sign_out_everywhere"]

    @admin.action(description="强制下线（所有设备上的登录立即失效）")
    def sign_out_everywhere(self, request, queryset):
        apply_service(self, request, queryset, "强制下线", lambda user: services.user_sign_out_everywhere(user=user))


@admin.register(Membership)
class MembershipAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ("user", "role", "community", "street", "scope_type", "scope_id", "position", "created_at")
    list_filter = ("role", "community", "street")
    list_select_related = ("user", "community", "street", "scope_type")
    search_fields = ("user__username", "user__display_name", "community__name", "street__name")
    autocomplete_fields = ("user", "community", "street")
