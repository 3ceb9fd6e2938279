"""The events' histories share the platform's StatusChange: EventStatusChange → EventHistory and
RegistrationStatusChange → RegistrationHistory keep their rows, gain `action` (derived from the
from/to statuses of the existing rows) and the narrowed choices; venue bookings get a history."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _event_action(from_status, to_status):
    if not from_status:
        return "create"
    return {"published": "publish", "cancelled": "cancel", "finished": "finish"}.get(to_status, "")


def _registration_action(from_status, to_status):
    if not from_status:
        return "register"
    return {
        "cancelled": "cancel",
        "confirmed": "promote",
        "attended": "check_in",
        "no_show": "mark_no_show",
    }.get(to_status, "")


def backfill_actions(apps, schema_editor):
    for model_name, derive in (("EventHistory", _event_action), ("RegistrationHistory", _registration_action)):
        model = apps.get_model("events", model_name)
        pairs = model.objects.filter(action="").values_list("from_status", "to_status").distinct()
        for from_status, to_status in list(pairs):
            action = derive(from_status, to_status)
            if action:
                model.objects.filter(action="", from_status=from_status, to_status=to_status).update(action=action)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_venuebooking_no_overlap"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("EventStatusChange", "EventHistory"),
        migrations.RenameModel("RegistrationStatusChange", "RegistrationHistory"),
        migrations.AddField(
            model_name='eventhistory',
            name='action',
            field=models.CharField(blank=True, choices=[('create', '创建'), ('publish', '发布'), ('cancel', '取消'), ('finish', '结束')], max_length=24, verbose_name='操作'),
        ),
        migrations.AddField(
            model_name='registrationhistory',
            name='action',
            field=models.CharField(blank=True, choices=[('register', '报名'), ('cancel', '取消'), ('promote', '候补递补'), ('check_in', '签到'), ('mark_no_show', '记为未到场')], max_length=24, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='eventhistory',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='eventhistory',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='eventhistory',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='events.event', verbose_name='活动'),
        ),
        migrations.AlterField(
            model_name='eventhistory',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', '草稿'), ('published', '已发布'), ('cancelled', '已取消'), ('finished', '已结束')], max_length=24, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='eventhistory',
            name='note',
            field=models.CharField(blank=True, max_length=500, verbose_name='备注'),
        ),
        migrations.AlterField(
            model_name='eventhistory',
            name='to_status',
            field=models.CharField(choices=[('draft', '草稿'), ('published', '已发布'), ('cancelled', '已取消'), ('finished', '已结束')], max_length=24, verbose_name='新状态'),
        ),
        migrations.AlterField(
            model_name='registrationhistory',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='registrationhistory',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='registrationhistory',
            name='from_status',
            field=models.CharField(blank=True, choices=[('confirmed', '报名成功'), ('waitlisted', '候补中'), ('cancelled', '已取消'), ('attended', '已签到'), ('no_show', '未到场')], max_length=24, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='registrationhistory',
            name='note',
            field=models.CharField(blank=True, max_length=500, verbose_name='备注'),
        ),
        migrations.AlterField(
            model_name='registrationhistory',
            name='registration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='events.registration', verbose_name='报名'),
        ),
        migrations.AlterField(
            model_name='registrationhistory',
            name='to_status',
            field=models.CharField(choices=[('confirmed', '报名成功'), ('waitlisted', '候补中'), ('cancelled', '已取消'), ('attended', '已签到'), ('no_show', '未到场')], max_length=24, verbose_name='新状态'),
        ),
        migrations.CreateModel(
            name='VenueBookingHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='备注')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('action', models.CharField(blank=True, choices=[('book', '预约'), ('cancel', '取消')], max_length=24, verbose_name='操作')),
                ('from_status', models.CharField(blank=True, choices=[('active', '有效'), ('cancelled', '已取消')], max_length=24, verbose_name='原状态')),
                ('to_status', models.CharField(choices=[('active', '有效'), ('cancelled', '已取消')], max_length=24, verbose_name='新状态')),
                ('actor', models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('booking', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='events.venuebooking', verbose_name='场地预约')),
            ],
            options={
                'verbose_name': '场地预约记录',
                'verbose_name_plural': '场地预约记录',
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.RunPython(backfill_actions, migrations.RunPython.noop),
    ]
