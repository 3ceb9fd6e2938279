"""The console's 改革成效 widget: the reform's figures (enforcement/figures.py, the same selector as
GET /api/v1/staff/enforcement/figures/) for the dashboard's period.

Only on the district view (a superuser with no community picked): the figures are the district's
account of the reform. A community's dashboard shows nothing here and costs no query; a township's
team reads its own figures through the API (`?street=`)."""

from enforcement import figures
from linli.console.registry import Metric, Scope, WidgetData, widget


@widget("enforcement_reform", "大综合一体化改革成效", order=51)
def reform(scope: Scope) -> WidgetData | None:
    if not scope.district:
        return None
    result = figures.reform_figures(start=scope.start, end=scope.end)  # 6 queries
    empowered = sum(row["matters"] for row in result.empowerment)
    return WidgetData(
        metrics=[
            Metric("joint_inspections", "综合查一次", result.joint_inspections, "次"),
            Metric("problems_found", "发现问题", result.problems_found, "个"),
            Metric("cases_from_inspections", "检查立案", result.cases_from_inspections, "件"),
            Metric("inspections_saved", "减少检查", result.inspections_saved, "次"),
            Metric("matters_empowered", "赋权事项（乡镇合计）", empowered, "项"),
        ],
        breakdown=[
            (f"{row['label']}（中位 {row['median_hours_to_close']} 小时办结）", row["count"])
            for row in result.reports_by_channel
            if row["count"]
        ],
        breakdown_title="线索来源与办结用时",
    )
