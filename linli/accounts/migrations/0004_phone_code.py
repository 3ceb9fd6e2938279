import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_avatar_is_an_upload"),
    ]

    operations = [
        migrations.CreateModel(
            name="PhoneCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phone", models.CharField(max_length=20, verbose_name="手机号")),
                ("code_hash", models.CharField(max_length=64, verbose_name="验证码摘要")),
                ("sent_at", models.DateTimeField(verbose_name="发送时间")),
                ("expires_at", models.DateTimeField(verbose_name="失效时间")),
                ("failed_attempts", models.PositiveSmallIntegerField(default=0, verbose_name="错误次数")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="phone_code",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={"verbose_name": "手机验证码", "verbose_name_plural": "手机验证码", "ordering": ["-sent_at"]},
        ),
    ]
