"""Health histories share the platform's StatusChange: ConsultationEvent → ConsultationHistory and
InsuranceApplicationEvent → InsuranceApplicationHistory keep their rows (`at` becomes `created_at`,
`action` and the statuses gain their choices); prescriptions and appointments get a history."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0002_prescription_dispensing"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ConsultationEvent", "ConsultationHistory"),
        migrations.RenameModel("InsuranceApplicationEvent", "InsuranceApplicationHistory"),
        migrations.RenameField("ConsultationHistory", "at", "created_at"),
        migrations.RenameField("InsuranceApplicationHistory", "at", "created_at"),
        migrations.AlterModelOptions(
            name='consultationhistory',
            options={'ordering': ['created_at', 'id'], 'verbose_name': '问诊记录', 'verbose_name_plural': '问诊记录'},
        ),
        migrations.AlterModelOptions(
            name='insuranceapplicationhistory',
            options={'ordering': ['created_at', 'id'], 'verbose_name': '申请记录', 'verbose_name_plural': '申请记录'},
        ),
        migrations.AlterField(
            model_name='consultationhistory',
            name='action',
            field=models.CharField(blank=True, choices=[('create', '发起问诊'), ('accept', '接诊'), ('close', '结束问诊')], max_length=24, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='consultationhistory',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='consultationhistory',
            name='from_status',
            field=models.CharField(blank=True, choices=[('waiting', '待接诊'), ('in_progress', '问诊中'), ('closed', '已结束')], max_length=24, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='consultationhistory',
            name='note',
            field=models.CharField(blank=True, max_length=500, verbose_name='备注'),
        ),
        migrations.AlterField(
            model_name='consultationhistory',
            name='to_status',
            field=models.CharField(choices=[('waiting', '待接诊'), ('in_progress', '问诊中'), ('closed', '已结束')], max_length=24, verbose_name='新状态'),
        ),
        migrations.AlterField(
            model_name='insuranceapplicationhistory',
            name='action',
            field=models.CharField(blank=True, choices=[('submit', '提交申请'), ('approve', '审核通过'), ('reject', '驳回'), ('request_info', '要求补充材料'), ('resubmit', '补充材料')], max_length=24, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='insuranceapplicationhistory',
            name='actor',
            field=models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='insuranceapplicationhistory',
            name='from_status',
            field=models.CharField(blank=True, choices=[('submitted', '待审核'), ('needs_info', '待补充材料'), ('approved', '已通过'), ('rejected', '已驳回')], max_length=24, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='insuranceapplicationhistory',
            name='to_status',
            field=models.CharField(choices=[('submitted', '待审核'), ('needs_info', '待补充材料'), ('approved', '已通过'), ('rejected', '已驳回')], max_length=24, verbose_name='新状态'),
        ),
        migrations.CreateModel(
            name='AppointmentHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='备注')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('action', models.CharField(blank=True, choices=[('book', '预约'), ('cancel', '取消')], max_length=24, verbose_name='操作')),
                ('from_status', models.CharField(blank=True, choices=[('booked', '已预约'), ('cancelled', '已取消')], max_length=24, verbose_name='原状态')),
                ('to_status', models.CharField(choices=[('booked', '已预约'), ('cancelled', '已取消')], max_length=24, verbose_name='新状态')),
                ('actor', models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('appointment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='health.appointment', verbose_name='预约')),
            ],
            options={
                'verbose_name': '预约记录',
                'verbose_name_plural': '预约记录',
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='PrescriptionHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='备注')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('action', models.CharField(blank=True, choices=[('issue', '开具处方'), ('start_dispensing', '取药'), ('release', '释放处方'), ('dispense', '完成取药'), ('expire', '过期')], max_length=24, verbose_name='操作')),
                ('from_status', models.CharField(blank=True, choices=[('issued', '待取药'), ('dispensing', '取药中'), ('dispensed', '已取药'), ('expired', '已过期')], max_length=24, verbose_name='原状态')),
                ('to_status', models.CharField(choices=[('issued', '待取药'), ('dispensing', '取药中'), ('dispensed', '已取药'), ('expired', '已过期')], max_length=24, verbose_name='新状态')),
                ('actor', models.ForeignKey(blank=True, help_text='空表示系统', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('prescription', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='health.prescription', verbose_name='处方')),
            ],
            options={
                'verbose_name': '处方记录',
                'verbose_name_plural': '处方记录',
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
    ]
