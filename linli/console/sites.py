from django.contrib import admin

from linli.console.selectors import console_communities, dashboard_for


class LinliAdminSite(admin.AdminSite):
    site_header = "邻礼通管理后台"
    site_title = "邻礼通管理后台"
    index_title = "工作台"
    index_template = "admin/linli_index.html"

    def get_urls(self):
        from linli.ops.admin import operations_urls

        return operations_urls(self) + super().get_urls()

    def index(self, request, extra_context=None):
        communities = list(console_communities(request.user))
        selected = request.GET.get("community")
        shown = [c for c in communities if str(c.pk) == selected] or communities
        context = {
            "dashboard": (
                dashboard_for(
                    communities=shown,
                    with_charts=True,
                    district=request.user.is_superuser and shown == communities,
                )
                if communities
                else None
            ),
            "dashboard_communities": communities,
            "dashboard_selected": selected if shown != communities else "",
            **_ops_context(request.user),
        }
        return super().index(request, {**context, **(extra_context or {})})


def _ops_context(user) -> dict:
    """Open operations alerts first on the landing page, for superusers and the ops role (运维).
    Evaluated here too, so a stalled beat shows even though its own check job no longer runs."""
    from linli.ops.selectors import is_ops, ops_status
    from linli.ops.services import alerts_evaluate

    if not is_ops(user):
        return {}
    return {"ops_alerts": alerts_evaluate(status=ops_status(ping_workers=False)), "ops_page": user.is_superuser}
