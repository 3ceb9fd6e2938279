"""`python manage.py seed_demo`: the demo data of DESIGN.md §5. Idempotent.

Every installed app of ours may ship a `demo.py` with `seed(log)`; they run in INSTALLED_APPS
order (platform first), inside one transaction, so a failed seed leaves nothing half-made.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Seed the demo places, accounts and scenario data (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for config in apps.get_app_configs():
                if "site-packages" in config.path:
                    continue  # third-party apps have no demo of ours
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
