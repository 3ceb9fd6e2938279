"""The console side of the operations watch: the alert rows (ops role and superusers) and the
superuser's operations page (运维概览, at /admin/operations/, wired in linli.console.sites)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from linli.notifications.services import deliveries_retry_failed
from linli.ops import overview
from linli.ops.models import OpsAlert
from linli.ops.selectors import is_ops, ops_status
from linli.ops.services import alerts_evaluate

RETRY_BATCH = 100


@admin.register(OpsAlert)
class OpsAlertAdmin(admin.ModelAdmin):
    """Read-only: the checks open and resolve alerts; people only look."""

    list_display = ("kind", "message", "opened_at", "updated_at", "resolved_at")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter))
    date_hierarchy = "opened_at"

    def has_module_permission(self, request):
        return is_ops(request.user)

    def has_view_permission(self, request, obj=None):
        return is_ops(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def operations_urls(site) -> list:
    """The operations page's URLs, added to the admin site (before its per-app catch-all)."""

    def superuser_view(view):
        def wrapped(request, *args, **kwargs):
            if not request.user.is_superuser:
                raise PermissionDenied
            return view(request, *args, site=site, **kwargs)

        return site.admin_view(wrapped)

    return [
        path("operations/", superuser_view(operations_page), name="operations"),
        path("operations/retry-deliveries/", superuser_view(retry_deliveries), name="operations_retry_deliveries"),
    ]


def operations_page(request, *, site):
    status = ops_status()
    context = {
        **site.each_context(request),
        "title": "运维概览",
        "versions": overview.versions(),
        "unapplied": overview.unapplied_migrations(),
        "status": status,
        "alerts": alerts_evaluate(status=status),
        "outbound": overview.failed_outbound(),
        "outages": overview.device_outages(),
        "retry_batch": RETRY_BATCH,
    }
    return TemplateResponse(request, "admin/ops/operations.html", context)


@require_POST
def retry_deliveries(request, *, site):
    done = deliveries_retry_failed(limit=RETRY_BATCH)
    messages.success(request, f"已重新排队 {done} 条发送失败的推送")
    return HttpResponseRedirect(reverse("admin:operations"))
