"""Users and their roles.

A role is a `Membership`, never a flag on the user: "community staff of 斗潭", "property manager
of 白云", "officer of the 陶堰 team". One user may hold several. Memberships that belong to a
scenario object (a merchant, an enforcement team, a room) point at it generically, so the
platform never imports a scenario app.
"""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from linli.regions.models import Community, Street


class User(AbstractUser):
    phone = models.CharField("手机号", max_length=20, null=True, blank=True, unique=True)
    wechat_openid = models.CharField("微信 openid", max_length=64, null=True, blank=True, unique=True)
    wechat_unionid = models.CharField("微信 unionid", max_length=64, blank=True, db_index=True)
    display_name = models.CharField("昵称", max_length=50, blank=True)
    avatar_url = models.URLField("头像", max_length=500, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["id"]

    def __str__(self):
        return self.display_name or self.username

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class Role(models.TextChoices):
    RESIDENT = "resident", "居民"
    COMMUNITY_STAFF = "community_staff", "社区工作人员"
    PROPERTY_MANAGER = "property_manager", "物业管理员"
    MERCHANT_MEMBER = "merchant_member", "商家成员"
    DOCTOR = "doctor", "医生"
    OFFICER = "officer", "执法人员"
    GRID_WORKER = "grid_worker", "网格员"


class Membership(models.Model):
    """One role a user holds, and where: a community, a street, or a scenario object."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="用户")
    role = models.CharField("角色", max_length=20, choices=Role.choices, db_index=True)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name="社区"
    )
    street = models.ForeignKey(
        Street, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name="街道/乡镇"
    )
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name="所属对象类型"
    )
    scope_id = models.PositiveBigIntegerField("所属对象 ID", null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    position = models.CharField(
        "职务", max_length=30, blank=True, help_text="如 owner（店主）、leader（队长）、家属关系"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["user_id", "role", "id"]
        indexes = [models.Index(fields=["scope_type", "scope_id"], name="membership_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_type__isnull=True, scope_id__isnull=True)
                | Q(scope_type__isnull=False, scope_id__isnull=False),
                name="membership_scope_complete",
            ),
            # NULLs are distinct in unique constraints, so each shape gets its own.
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(scope_type__isnull=True, community__isnull=False),
                name="membership_unique_community_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "street"],
                condition=Q(scope_type__isnull=True, community__isnull=True, street__isnull=False),
                name="membership_unique_street_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(scope_type__isnull=True, community__isnull=True, street__isnull=True),
                name="membership_unique_plain_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"],
                condition=Q(scope_type__isnull=False),
                name="membership_unique_scoped_role",
            ),
        ]

    def __str__(self):
        where = self.community or self.street or self.scope or ""
        return f"{self.user} · {self.get_role_display()} · {where}"
