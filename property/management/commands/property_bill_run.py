from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.regions.models import Estate
from property.services.fees import bill_run


class Command(BaseCommand):
    help = "出账：为指定月份生成物业账单（重复运行不会重复出账）"

    def add_arguments(self, parser):
        parser.add_argument("--period", help="账期 YYYY-MM，默认本月")
        parser.add_argument("--estate", type=int, action="append", help="只为这些小区出账（小区 ID，可重复）")

    def handle(self, *args, period=None, estate=None, **options):
        try:
            day = date.fromisoformat(f"{period}-01") if period else timezone.localdate()
        except ValueError:
            raise CommandError("--period 应为 YYYY-MM") from None
        estates = Estate.objects.filter(pk__in=estate) if estate else None
        result = bill_run(period=day, estates=estates)
        self.stdout.write(f"{result.period:%Y-%m}：新出账 {result.created} 张，已存在 {result.existing} 张")
        for reason in result.skipped:
            self.stdout.write(f"  跳过 {reason}")
