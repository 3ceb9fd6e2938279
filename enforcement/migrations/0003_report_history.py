"""ReportEvent becomes ReportHistory (the platform's StatusChange): the table is renamed with its
rows, the reverse accessor becomes `history`, the status and action columns get the platform's
width and `created_at` the platform's default."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

REPORT_STATUSES = [
    ("reported", "待派遣"),
    ("dispatched", "已派遣"),
    ("accepted", "已受理"),
    ("handling", "处置中"),
    ("resolved", "已处置"),
    ("feedback", "已反馈"),
    ("closed", "已办结"),
    ("merged", "已合并"),
]
REPORT_ACTIONS = [
    ("report", "上报"),
    ("dispatch", "派遣"),
    ("reroute", "改派"),
    ("accept", "受理"),
    ("handle", "开始处置"),
    ("outcome", "处置完成"),
    ("feedback", "反馈"),
    ("close", "办结"),
    ("merge", "合并"),
    ("rate", "评价"),
    ("escalate", "超时升级"),
    ("request_return", "申请退回"),
    ("request_extension", "申请延期"),
    ("return_approved", "退回获批"),
    ("return_rejected", "退回被驳回"),
    ("extension_approved", "延期获批"),
    ("extension_rejected", "延期被驳回"),
    ("detected_again", "再次感知"),
    ("note", "内部备注"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0002_chinese_labels_on_history_actor_and_team"),
    ]

    operations = [
        migrations.RenameModel(old_name="ReportEvent", new_name="ReportHistory"),
        migrations.AlterField(
            model_name="reporthistory",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="enforcement.problemreport",
                verbose_name="线索",
            ),
        ),
        migrations.AlterField(
            model_name="reporthistory",
            name="action",
            field=models.CharField(choices=REPORT_ACTIONS, max_length=24, verbose_name="操作"),
        ),
        migrations.AlterField(
            model_name="reporthistory",
            name="from_status",
            field=models.CharField(blank=True, choices=REPORT_STATUSES, max_length=24, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="reporthistory",
            name="to_status",
            field=models.CharField(choices=REPORT_STATUSES, max_length=24, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="reporthistory",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
        ),
    ]
