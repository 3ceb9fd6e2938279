"""What 红色礼享家 contributes to the staff console: party members by type (with their service in
邻礼积分 during the period, 在职 vs 社区), 报到, projects by status and resources by kind. It reads the
same selectors as GET /api/v1/staff/participation/stats/.

No 服务力指数 component: the four components are owned by the apps whose data defines them (参与度 by
events' attendances, 共富度 by the points ledger and the market). A party member's volunteering reaches
参与度 and 共富度 through those apps already; counting it again here would weigh it twice."""

from linli.console.registry import Metric, Scope, WidgetData, widget
from participation.selectors import alliance, party


@widget("party_alliance", "红色礼享家：党员与党建联盟", order=60)
def party_and_alliance(scope: Scope) -> WidgetData | None:
    start, end = scope.bounds()
    members = party.member_stats(community_ids=scope.community_ids, start=start, end=end)  # 3 queries
    lists = alliance.alliance_stats(community_ids=scope.community_ids)  # 2 queries
    by_kind = {row["kind"]: row for row in members["members"]}
    projects = {row["status"]: row["count"] for row in lists["projects"]}
    total_members = sum(row["members"] for row in members["members"])
    if not total_members and not any(projects.values()) and not any(r["count"] for r in lists["resources"]):
        return None  # no party members, projects or resources here: nothing to show
    workplace, community = by_kind["workplace"], by_kind["community"]
    return WidgetData(
        metrics=[
            Metric("workplace_members", "在职党员", workplace["members"], "人"),
            Metric("community_members", "社区党员", community["members"], "人"),
            Metric("reports", f"近{scope.days}天报到", members["reports"], "人次"),
            Metric("workplace_service", "在职党员服务积分", workplace["service_points"], "分"),
            Metric("community_service", "社区党员服务积分", community["service_points"], "分"),
            Metric("projects_running", "进行中项目", projects.get("in_progress", 0), "个"),
            Metric("projects_completed", "已完成项目", projects.get("completed", 0), "个"),
        ],
        breakdown=[(row["label"], float(row["count"])) for row in lists["resources"]],
        breakdown_title="已发布资源（按类型）",
    )
