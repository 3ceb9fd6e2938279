"""Issue a new signing secret for a device and print it once (for provisioning outside the admin).

    python manage.py device_secret mill-baiyun-01

The old secret stops working at once. The secret is printed to stdout only; nothing else stores it.
"""

from django.core.management.base import BaseCommand, CommandError

from linli.devices.models import Device
from linli.devices.services import device_secret_rotate


class Command(BaseCommand):
    help = "Issue (or re-issue) the signing secret of a device and print it once."

    def add_arguments(self, parser):
        parser.add_argument("code", help="device code")

    def handle(self, *args, code, **options):
        device = Device.objects.filter(code=code).first()
        if device is None:
            raise CommandError(f"no device with code {code!r}")
        self.stdout.write(device_secret_rotate(device=device))
