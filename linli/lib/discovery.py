"""Find a named module (`demo`, `privacy`, `dashboard`, …) in each of our installed apps.

This is how the platform hears from scenario apps without importing them: an app ships
`<app>/dashboard.py` and the console finds it. Third-party apps are skipped.
"""

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(name: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app config, module) for every installed app of ours that has `<app>.<name>`, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if "site-packages" in config.path:
            continue
        module_name = f"{config.name}.{name}"
        if find_spec(module_name) is not None:
            yield config, import_module(module_name)
