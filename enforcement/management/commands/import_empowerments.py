from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enforcement.services.catalogue import ImportFailed, empowerments_import


class Command(BaseCommand):
    help = "Import a township empowerment list (赋权清单) CSV: street,matter,since,until,document."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file (UTF-8, header row)")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            result = empowerments_import(text=text)
        except ImportFailed as exc:
            raise CommandError("\n".join(exc.extra.get("errors") or [exc.message])) from None
        self.stdout.write(
            self.style.SUCCESS(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")
        )
