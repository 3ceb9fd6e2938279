"""The benchmark's data set, generated with bulk_create into a fresh PostgreSQL database.

Each module in this package is one generator:

    NAME = "events"          # what it makes, as it appears in TARGETS
    ORDER = 20               # platform 0–9, scenario apps 10+
    def generate(ctx) -> dict: ...   # returns {"<thing>": count}; may put ids and tokens into ctx.fixtures

`TARGETS` is the data set the issue asks for; a target without a generator (its app has not
landed yet) is reported as "not generated" rather than faked.
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
}


@dataclass
class Context:
    targets: dict = field(default_factory=lambda: dict(TARGETS))
    # What the load generator needs: {"tokens": {persona: [access tokens]}, "ids": {name: value}}
    fixtures: dict = field(default_factory=lambda: {"tokens": {}, "ids": {}})
    log: object = print
    # What one generator hands the next (platform: "communities", "residents"; residents: "room_of" …)
    shared: dict = field(default_factory=dict)


def generators() -> list:
    modules = [import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted((m for m in modules if hasattr(m, "generate")), key=lambda m: (m.ORDER, m.NAME))
