"""`manage.py ops_check`: the operations check from cron or a monitor, outside Celery altogether, so
it still runs when beat or every worker is stuck. Opens/resolves the alert rows, prints the status
and exits 1 while an alert is open."""

import json

from django.core.management.base import BaseCommand, CommandError

from linli.ops.selectors import ops_status
from linli.ops.services import alerts_evaluate


class Command(BaseCommand):
    help = "Check beat, the queues and the workers; open or resolve alert rows; exit 1 while one is open."

    def handle(self, *args, **options):
        status = ops_status()
        alerts = alerts_evaluate(status=status)
        self.stdout.write(json.dumps(status.as_dict(), ensure_ascii=False, indent=2))
        if alerts:
            raise CommandError("; ".join(f"{alert.get_kind_display()}: {alert.message}" for alert in alerts))
        self.stdout.write("no open alert")
