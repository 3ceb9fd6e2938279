"""`python manage.py seed_demo`: the demo data of docs/demo.md. Idempotent.

Runs the seeders the apps registered (`linli.api.demo`) in INSTALLED_APPS order (platform first),
inside one transaction, so a failed seed leaves nothing half-made.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from linli.api import demo


class Command(BaseCommand):
    help = "Seed the demo places, accounts and scenario data (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for _label, seed in demo.seeders():
                seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
