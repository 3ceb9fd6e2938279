"""The demo data (`python manage.py seed_demo`, described in docs/demo.md): how an app plugs in.

An app with demo data registers its seeder from its `AppConfig.ready()`, and nowhere else:

    # residents/apps.py
    def ready(self):
        from linli.api import demo
        from residents.demo import seed

        demo.register(self.label, seed)

`seed(log)` creates the app's demo objects and must be idempotent (a second run changes nothing);
`log` takes one line of text. `seed_demo` runs the seeders in INSTALLED_APPS order (the platform
first, so places and accounts exist before the scenarios use them), inside one transaction.
"""

from collections.abc import Callable

from django.apps import apps

Seeder = Callable[[Callable[[str], None]], None]

_seeders: dict[str, Seeder] = {}


def register(label: str, seed: Seeder) -> None:
    """Register the seeder of app `label` (one per app; registering again replaces it)."""
    _seeders[label] = seed


def seeders() -> list[tuple[str, Seeder]]:
    """(app label, seeder) in INSTALLED_APPS order."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_seeders.items(), key=lambda item: order.get(item[0], len(order)))
