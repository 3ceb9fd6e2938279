"""CaseEvent becomes CaseHistory (the platform's StatusChange): the table is renamed with its rows,
the reverse accessor becomes `history`, the status and action columns get the platform's width,
the actor its help text and `created_at` the platform's default."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CASE_STATUSES = [("filed", "已立案"), ("investigating", "调查取证"), ("decided", "已决定"), ("closed", "已结案")]
CASE_ACTIONS = [
    ("file", "立案"),
    ("investigate", "调查取证"),
    ("decide", "作出决定"),
    ("close", "结案"),
    ("pushed", "推送省平台"),
    ("push_failed", "推送失败"),
    ("platform_update", "省平台状态更新"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0005_inspection_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="CaseEvent", new_name="CaseHistory"),
        migrations.AlterField(
            model_name="casehistory",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="enforcement.case",
                verbose_name="案件",
            ),
        ),
        migrations.AlterField(
            model_name="casehistory",
            name="action",
            field=models.CharField(choices=CASE_ACTIONS, max_length=24, verbose_name="操作"),
        ),
        migrations.AlterField(
            model_name="casehistory",
            name="from_status",
            field=models.CharField(blank=True, choices=CASE_STATUSES, max_length=24, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="casehistory",
            name="to_status",
            field=models.CharField(choices=CASE_STATUSES, max_length=24, verbose_name="新状态"),
        ),
        migrations.AlterField(
            model_name="casehistory",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                help_text="空表示系统",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="casehistory",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
        ),
    ]
