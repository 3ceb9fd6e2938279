"""Dashboard widgets and service-index components, contributed by each app's `dashboard.py`.

    # residents/dashboard.py
    from linli.console.registry import widget, index_component

    @widget("work_orders", "报修工单", order=10)
    def work_orders(scope):            # scope: Scope — communities, period
        return WidgetData(metrics=[...], trend=Trend(...), breakdown=[...])

    @index_component("response")
    def response(scope):               # → {community_id: 0–100 score, or None without data}
        ...

A widget returns None when its kind of data does not exist for the scope's communities (no
enforcement team in their township, say): the dashboard then leaves it out rather than show zeros.
A widget must use a fixed number of aggregate queries whatever the data (one per chart,
grouped by community or day) — never one per row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from linli.lib.discovery import app_modules


@dataclass(frozen=True)
class Scope:
    community_ids: list[int]  # the communities this dashboard covers (already resolved)
    end: date  # inclusive, usually today
    days: int = 30
    # True when the dashboard covers the whole district (a superuser looking at every community):
    # apps whose data is not tied to a community (enforcement is per team and township) show it all.
    district: bool = False

    @property
    def start(self) -> date:
        return self.end - timedelta(days=self.days - 1)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def previous(self) -> "Scope":
        return Scope(self.community_ids, self.start - timedelta(days=1), self.days, self.district)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes at local midnight: what a `created_at` range filter needs."""
        tz = timezone.get_current_timezone()
        return datetime.combine(self.start, time.min, tz), datetime.combine(self.end + timedelta(days=1), time.min, tz)


@dataclass
class Metric:
    key: str
    label: str
    value: float | int | None
    unit: str = ""


@dataclass
class Trend:
    """Per-day values for the period, one list per series, aligned with Scope.dates()."""

    series: list[tuple[str, list[float]]]
    unit: str = ""


@dataclass
class WidgetData:
    metrics: list[Metric]
    trend: Trend | None = None
    breakdown: list[tuple[str, float]] = field(default_factory=list)
    breakdown_title: str = ""


@dataclass(frozen=True)
class Widget:
    key: str
    title: str
    order: int
    compute: Callable[[Scope], WidgetData | None]


@dataclass(frozen=True)
class IndexComponent:
    key: str
    compute: Callable[[Scope], dict[int, float | None]]


_widgets: dict[str, Widget] = {}
_components: dict[str, IndexComponent] = {}
_discovered = False


def widget(key: str, title: str, *, order: int = 100):
    def decorator(fn):
        _widgets[key] = Widget(key, title, order, fn)
        return fn

    return decorator


def index_component(key: str):
    def decorator(fn):
        _components[key] = IndexComponent(key, fn)
        return fn

    return decorator


def _discover():
    global _discovered
    if not _discovered:
        for _config, _module in app_modules("dashboard"):
            pass  # importing the module registers its widgets
        _discovered = True


def widgets() -> list[Widget]:
    _discover()
    return sorted(_widgets.values(), key=lambda w: (w.order, w.key))


def components() -> dict[str, IndexComponent]:
    _discover()
    return dict(_components)


def daily_series(scope: Scope, rows) -> list[float]:
    """rows: iterable of (date, value) from a GROUP BY day query → values aligned to scope.dates()."""
    by_day = {day: value for day, value in rows}
    return [float(by_day.get(day) or 0) for day in scope.dates()]
