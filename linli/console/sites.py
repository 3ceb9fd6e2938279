from django.contrib import admin

from linli.console.selectors import console_communities, dashboard_for


class LinliAdminSite(admin.AdminSite):
    site_header = "邻礼通管理后台"
    site_title = "邻礼通管理后台"
    index_title = "工作台"
    index_template = "admin/linli_index.html"

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
        }
        return super().index(request, {**context, **(extra_context or {})})
