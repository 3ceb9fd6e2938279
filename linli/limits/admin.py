from django.contrib import admin

from linli.accounts.models import Membership
from linli.console.selectors import CONSOLE_ROLES
from linli.limits.models import FairUseLimit


@admin.register(FairUseLimit)
class FairUseLimitAdmin(admin.ModelAdmin):
    """One row per limit. The limits hold for every community, so only superusers (or staff given
    the model's permissions) change them; community staff may look them up to answer residents."""

    list_display = ("key", "value", "default", "counts", "note", "updated_at")
    fields = ("key", "value", "default", "counts", "note")
    readonly_fields = ("default", "counts")

    @admin.display(description="默认值")
    def default(self, obj):
        return obj.rule.default if obj and obj.key else "—"

    @admin.display(description="计算方式")
    def counts(self, obj):
        return obj.rule.counts if obj and obj.key else "—"

    def get_readonly_fields(self, request, obj=None):
        # The key names the limit; changing it would silently move a value to another limit.
        return (*self.readonly_fields, "key") if obj else self.readonly_fields

    def _console_user(self, request) -> bool:
        user = request.user
        return (
            user.is_active and user.is_staff and Membership.objects.filter(user=user, role__in=CONSOLE_ROLES).exists()
        )

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._console_user(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._console_user(request)
