"""服务力指数: four comparable 0–100 scores per community, each from measured data.

* 响应力 response: work orders finished within SLA ÷ work orders due in the period × 100
* 满意度 satisfaction: mean rating (1–5) of work orders closed in the period ÷ 5 × 100
* 参与度 participation: event attendances ÷ verified households × 100, capped at 100
  (one attendance per household in the period scores 100)
* 共富度 prosperity: ½ · min(100, 邻礼积分 earned + spent per household)
  + ½ · min(100, local market sales per household in yuan)

A component without data (no work orders due, no households) is shown as "—", not as 0, so a
quiet community is not ranked below a failing one. Each component is contributed by the app that
owns the data (`@index_component` in its dashboard.py, registered from its AppConfig.ready(); see
`linli.console.registry`) and answers for all communities at once.
"""

from linli.console.registry import Scope, components

COMPONENTS = [
    ("response", "响应力"),
    ("satisfaction", "满意度"),
    ("participation", "参与度"),
    ("prosperity", "共富度"),
]


def service_index(scope: Scope, communities) -> list[dict]:
    registered = components()
    current, previous = {}, {}
    for key, _label in COMPONENTS:
        component = registered.get(key)
        current[key] = component.compute(scope) if component else {}
        previous[key] = component.compute(scope.previous()) if component else {}
    rows = []
    for community in communities:
        parts = []
        for key, label in COMPONENTS:
            now = _round(current[key].get(community.pk))
            before = _round(previous[key].get(community.pk))
            delta = None if now is None or before is None else round(now - before, 1)
            parts.append({"key": key, "label": label, "value": now, "previous": before, "delta": delta})
        rows.append({"community": {"id": community.pk, "name": community.name}, "components": parts})
    return rows


def _round(value):
    return None if value is None else round(max(0.0, min(100.0, float(value))), 1)
