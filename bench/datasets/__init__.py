"""The benchmark's data set, generated with bulk_create into a fresh PostgreSQL database.

Each module in this package is one generator:

    NAME = "events"          # what it makes, as it appears in TARGETS
    ORDER = 20               # platform 0–9, scenario apps 10+
    def generate(ctx) -> dict: ...   # returns {"<thing>": count}; may put ids and tokens into ctx.fixtures

`TARGETS` is the data set the issue asks for; a target without a generator (its app has not
landed yet) is reported as "not generated" rather than faked. `SMOKE_TARGETS` is the small one of
`run.py --smoke` (CI): every row kind the scenarios read, in a few seconds. Rows per person
(notifications, ledger entries, readings, orders) are constants of their generators: more than a
page each in both.
"""

import pkgutil
from dataclasses import dataclass, field
from importlib import import_module

TARGETS = {
    "communities": 3,
    "residents": 5_000,
    "events": 200,
    "products": 2_000,
    "work_orders": 20_000,
    "announcements": 180,
    "notifications": 125_000,
    "points_entries": 125_000,
    "vitals": 67_500,
    "market_orders": 22_000,
    "enforcement_reports": 6_000,
}
SMOKE_TARGETS = {
    **TARGETS,
    # Enough residents that the 2 s registration burst never runs out of people who have not
    # registered yet (it sent ~400 requests on a 2-CPU machine); the per-person rows scale with them.
    "residents": 1_200,
    "events": 24,
    "products": 300,
    "work_orders": 1_000,
    "announcements": 30,
    "notifications": 30_000,
    "points_entries": 30_000,
    "vitals": 16_200,
    "market_orders": 5_280,
    "enforcement_reports": 300,
}
# The registration burst's events: how many, and seats each (few in the smoke, so that they fill).
BURST = {"events": 4, "seats": 30}
SMOKE_BURST = {"events": 2, "seats": 5}


@dataclass
class Context:
    targets: dict = field(default_factory=lambda: dict(TARGETS))
    burst: dict = field(default_factory=lambda: dict(BURST))
    # What the load generator needs: {"tokens": {persona: [access tokens]}, "ids": {name: value}}
    fixtures: dict = field(default_factory=lambda: {"tokens": {}, "ids": {}})
    log: object = print
    # What one generator hands the next (platform: "communities", "residents"; residents: "room_of" …)
    shared: dict = field(default_factory=dict)


def generators() -> list:
    modules = [import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted((m for m in modules if hasattr(m, "generate")), key=lambda m: (m.ORDER, m.NAME))
