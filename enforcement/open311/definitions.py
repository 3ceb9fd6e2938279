"""Open311 service definitions (GET services/{service_code}.json): the attributes a service asks for,
derived from the category's matter and from the fields a report accepts.

* `matter` — information only (variable false): the 执法事项 the service files under, its legal basis
  and how long handling may take, so a client can show the citizen what the report leads to.
* `is_public` — the reporter's choice to show the description and media to the public (ProblemReport
  .is_public; private by default, as in our own app).
* `street` — the township (乡镇/街道) when the client knows it and has no point; a point, when given,
  is routed by its position and this answer is ignored.

A POST answers them as attribute[code]=key; `answers_to_fields` turns the answers into report fields.
"""

from rest_framework import serializers

from enforcement.models import Category, Team
from linli.regions.models import Street

PUBLIC_VALUES = [{"key": "false", "name": "不公开（默认）：仅执法人员可见"}, {"key": "true", "name": "公开描述与照片"}]


def _townships():
    teams = Street.objects.filter(enforcement_teams__kind=Team.Kind.TOWNSHIP_TEAM)
    return teams.distinct().order_by("code").values_list("code", "name")


def service_definition(category: Category) -> dict:
    matter = category.matter
    basis = f"，依据{matter.legal_basis}" if matter.legal_basis else ""
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": False,
                "code": "matter",
                "datatype": "string",
                "required": False,
                "datatype_description": None,
                "order": 1,
                "description": (
                    f"执法事项 {matter.code} {matter.name}（{matter.domain.name}领域）{basis}；"
                    f"处置时限 {matter.deadline_hours} 小时"
                ),
                "values": [],
            },
            {
                "variable": True,
                "code": "is_public",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 2,
                "description": "是否公开问题描述与照片（上报人身份和精确位置从不公开）",
                "values": PUBLIC_VALUES,
            },
            {
                "variable": True,
                "code": "street",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "没有经纬度时用于分派；有经纬度时按位置分派",
                "order": 3,
                "description": "问题所在的乡镇（街道）",
                "values": [{"key": code, "name": name} for code, name in _townships()],
            },
        ],
    }


def answers_to_fields(answers: dict) -> dict:
    """attribute[code]=key answers → report_create keyword arguments; a wrong code or key is 400."""
    fields, errors = {}, {}
    for code, key in answers.items():
        if code == "is_public":
            if key not in ("true", "false"):
                errors[f"attribute[{code}]"] = ["可选值：true、false"]
            fields["is_public"] = key == "true"
        elif code == "street":
            street = Street.objects.filter(code=key, enforcement_teams__kind=Team.Kind.TOWNSHIP_TEAM).first()
            if street is None:
                errors[f"attribute[{code}]"] = [f"未知的乡镇（街道）：{key}"]
            fields["street"] = street
        else:
            errors[f"attribute[{code}]"] = ["该服务没有此属性（matter 仅供说明，无需回答）"]
    if errors:
        raise serializers.ValidationError(errors)
    return fields
