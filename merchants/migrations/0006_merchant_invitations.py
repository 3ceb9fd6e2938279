import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("merchants", "0005_remove_legacy_image_urls"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MerchantInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "position",
                    models.CharField(
                        choices=[("manager", "店长"), ("staff", "店员")], max_length=10, verbose_name="职务"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("phone", "手机号邀请"), ("code", "邀请码")], max_length=10, verbose_name="方式"
                    ),
                ),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="手机号")),
                (
                    "code_digest",
                    models.CharField(
                        blank=True, editable=False, max_length=64, null=True, unique=True, verbose_name="邀请码摘要"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待接受"),
                            ("accepted", "已接受"),
                            ("declined", "已拒绝"),
                            ("revoked", "已撤回"),
                            ("expired", "已过期"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("expires_at", models.DateTimeField(verbose_name="有效期至")),
                ("responded_at", models.DateTimeField(blank=True, null=True, verbose_name="回应时间")),
            ],
            options={
                "verbose_name": "店铺成员邀请",
                "verbose_name_plural": "店铺成员邀请",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="MerchantInvitationHistory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("invite", "邀请"),
                            ("accept", "接受"),
                            ("decline", "拒绝"),
                            ("revoke", "撤回"),
                            ("expire", "过期"),
                        ],
                        max_length=24,
                        verbose_name="操作",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pending", "待接受"),
                            ("accepted", "已接受"),
                            ("declined", "已拒绝"),
                            ("revoked", "已撤回"),
                            ("expired", "已过期"),
                        ],
                        max_length=24,
                        verbose_name="原状态",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("pending", "待接受"),
                            ("accepted", "已接受"),
                            ("declined", "已拒绝"),
                            ("revoked", "已撤回"),
                            ("expired", "已过期"),
                        ],
                        max_length=24,
                        verbose_name="新状态",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="备注")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间")),
            ],
            options={
                "verbose_name": "店铺成员邀请记录",
                "verbose_name_plural": "店铺成员邀请记录",
                "ordering": ["created_at", "id"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="merchantinvitation",
            name="invited_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="邀请人",
            ),
        ),
        migrations.AddField(
            model_name="merchantinvitation",
            name="merchant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="merchants.merchant",
                verbose_name="店铺",
            ),
        ),
        migrations.AddField(
            model_name="merchantinvitation",
            name="user",
            field=models.ForeignKey(
                blank=True,
                help_text="接受或拒绝邀请的用户",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="merchant_invitations",
                to=settings.AUTH_USER_MODEL,
                verbose_name="回应人",
            ),
        ),
        migrations.AddField(
            model_name="merchantinvitationhistory",
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
        migrations.AddField(
            model_name="merchantinvitationhistory",
            name="invitation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="history",
                to="merchants.merchantinvitation",
                verbose_name="邀请",
            ),
        ),
        migrations.AddIndex(
            model_name="merchantinvitation",
            index=models.Index(fields=["phone", "status"], name="invitation_phone_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="merchantinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("position__in", ["manager", "staff"])), name="invitation_not_owner"
            ),
        ),
        migrations.AddConstraint(
            model_name="merchantinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code_digest__isnull", True), ("kind", "phone")),
                    models.Q(("code_digest__isnull", False), ("kind", "code"), ("phone", "")),
                    _connector="OR",
                ),
                name="invitation_phone_or_code",
            ),
        ),
        migrations.AddConstraint(
            model_name="merchantinvitation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "phone"), ("status", "pending"), models.Q(("phone", ""), _negated=True)),
                fields=("merchant", "phone"),
                name="invitation_one_pending_per_phone",
            ),
        ),
    ]
