"""Apps plug into the platform from their AppConfig.ready() (README "Layout"): a contribution an app
writes but forgets to register would silently do nothing, so these tests look for the usual files."""

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps

from linli.accounts import privacy
from linli.api import demo
from linli.console import registry as console


def apps_with(name: str) -> list[tuple[str, object]]:
    """(app label, module) for each app of ours that has `<app>.<name>`."""
    found = []
    for config in apps.get_app_configs():
        if "site-packages" not in config.path and find_spec(f"{config.name}.{name}") is not None:
            found.append((config.label, import_module(f"{config.name}.{name}")))
    return found


def label_of(value):
    return value if isinstance(value, str) else None


SEEDERS = [(label, module) for label, module in apps_with("demo") if hasattr(module, "seed")]  # not linli.api.demo


@pytest.mark.parametrize(("label", "module"), SEEDERS, ids=label_of)
def test_an_app_with_demo_data_registers_its_seeder(label, module):
    assert (label, module.seed) in demo.seeders(), f"register {module.__name__}.seed from the app's ready()"


@pytest.mark.parametrize(("label", "module"), apps_with("privacy"), ids=label_of)
def test_an_app_with_a_privacy_module_registers_it(label, module):
    handler = next((h for h in privacy.handlers() if h.label == label), None)
    assert handler is not None, f"register {module.__name__} from the app's ready()"
    if label != "accounts":  # accounts' privacy.py is the registry itself, with accounts' own handlers
        assert handler.export is module.export


@pytest.mark.parametrize(("label", "module"), apps_with("dashboard"), ids=label_of)
def test_an_app_with_a_dashboard_registers_every_widget_and_component(label, module):
    written = [value for value in vars(module).values() if isinstance(value, console.Widget | console.IndexComponent)]
    registered = [*console.widgets(), *console.components().values()]
    missing = [item.key for item in written if item not in registered]
    assert written and not missing, f"register {missing} of {module.__name__} from the app's ready()"


def test_the_seeders_run_in_installed_apps_order_platform_first():
    labels = [label for label, _seed in demo.seeders()]
    order = [config.label for config in apps.get_app_configs()]
    assert labels == sorted(labels, key=order.index)
    assert labels[:2] == ["regions", "accounts"]
