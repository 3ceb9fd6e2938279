"""Dashboard widgets and service-index (服务力指数) components: how an app plugs into the console.

An app writes them in its `dashboard.py` (`@widget` / `@index_component` turn a function into a
`Widget` / `IndexComponent`) and registers them from its `AppConfig.ready()`:

    # residents/dashboard.py
    from linli.console.registry import widget, index_component

    @widget("work_orders", "报修工单", order=10)
    def work_orders(scope):            # scope: Scope — communities, period
        return WidgetData(metrics=[...], trend=Trend(...), breakdown=[...])

    @index_component("response")
    def response(scope):               # → {community_id: 0–100 score, or None without data}
        ...

    # residents/apps.py
    def ready(self):
        from linli.console import registry as console
        from residents import dashboard

        console.register(self.label, widgets=[dashboard.work_orders], components=[dashboard.response])

The dashboard shows the widgets by `order` (then INSTALLED_APPS order). A widget returns None when
its kind of data does not exist for the scope's communities (no enforcement team in their township,
say): the dashboard then leaves it out rather than show zeros. A widget must use a fixed number of
aggregate queries whatever the data (one per chart, grouped by community or day) — never one per row.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.utils import timezone


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


_widgets: dict[str, tuple[str, Widget]] = {}  # key → (app label, widget)
_components: dict[str, tuple[str, IndexComponent]] = {}


def widget(key: str, title: str, *, order: int = 100):
    """Decorator: the function becomes a `Widget` (register it from the app's ready())."""

    def decorator(fn) -> Widget:
        return Widget(key, title, order, fn)

    return decorator


def index_component(key: str):
    """Decorator: the function becomes an `IndexComponent` (register it from the app's ready())."""

    def decorator(fn) -> IndexComponent:
        return IndexComponent(key, fn)

    return decorator


def register(label: str, *, widgets: Iterable[Widget] = (), components: Iterable[IndexComponent] = ()) -> None:
    """Register the dashboard widgets and index components of app `label`. A key is one app's."""
    for registry, items in ((_widgets, widgets), (_components, components)):
        for item in items:
            if registry.get(item.key, (label, item)) != (label, item):
                raise ValueError(f"dashboard key {item.key!r} is already registered by {registry[item.key][0]}")
            registry[item.key] = (label, item)


def _app_order() -> dict[str, int]:
    return {config.label: index for index, config in enumerate(apps.get_app_configs())}


def widgets() -> list[Widget]:
    """The registered widgets by `order`, then INSTALLED_APPS order."""
    order = _app_order()
    ranked = sorted(_widgets.values(), key=lambda item: (item[1].order, order.get(item[0], len(order)), item[1].key))
    return [w for _label, w in ranked]


def components() -> dict[str, IndexComponent]:
    """The registered index components by key, in INSTALLED_APPS order."""
    order = _app_order()
    ranked = sorted(_components.values(), key=lambda item: order.get(item[0], len(order)))
    return {c.key: c for _label, c in ranked}


def daily_series(scope: Scope, rows) -> list[float]:
    """rows: iterable of (date, value) from a GROUP BY day query → values aligned to scope.dates()."""
    by_day = {day: value for day, value in rows}
    return [float(by_day.get(day) or 0) for day in scope.dates()]
