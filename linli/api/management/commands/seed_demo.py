"""`python manage.py seed_demo`: the demo data of docs/demo.md. Idempotent.

Every installed app of ours may ship a `demo.py` with `seed(log)`; they run in INSTALLED_APPS
order (platform first), inside one transaction, so a failed seed leaves nothing half-made.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from linli.lib.discovery import app_modules


class Command(BaseCommand):
    help = "Seed the demo places, accounts and scenario data (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for _config, module in app_modules("demo"):
                module.seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
