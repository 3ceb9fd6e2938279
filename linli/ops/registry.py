"""Outbound records that can fail (pushes, syncs, commands): what the operations page lists.

The platform's own (notification deliveries, device commands) are built in; a scenario app adds
its own from its AppConfig.ready(), since the platform never imports a scenario:

    # enforcement/apps.py
    from linli.ops.registry import Outbound, register_outbound

    register_outbound(self.label, Outbound(
        key="provincial_push", title="省平台案件推送",
        failed=lambda: Case.objects.filter(push_status=Case.PushStatus.FAILED),
        changelist="admin:enforcement_case_changelist", query="push_status__exact=failed",
        retry="在列表中勾选后执行「重新推送省平台」",
    ))

`failed()` returns a queryset: the page counts it and shows no rows, so any size is fine.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Outbound:
    key: str
    title: str
    failed: Callable[[], QuerySet]
    changelist: str  # admin URL name of the model's changelist
    query: str = ""  # the changelist filter that shows the failed rows
    retry: str = ""  # how to retry them, in the operator's words; empty: no retry in the app


_outbound: dict[str, tuple[str, Outbound]] = {}


def register_outbound(label: str, *items: Outbound) -> None:
    for item in items:
        if _outbound.get(item.key, (label, item)) != (label, item):
            raise ValueError(f"outbound key {item.key!r} is already registered by {_outbound[item.key][0]}")
        _outbound[item.key] = (label, item)


def outbound() -> list[Outbound]:
    return [item for _label, item in _outbound.values()]
