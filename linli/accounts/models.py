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

from linli.lib.masking import mask_phone
from linli.regions.models import Community, Street


class User(AbstractUser):
    phone = models.CharField("手机号", max_length=20, null=True, blank=True, unique=True)
    wechat_openid = models.CharField("微信 openid", max_length=64, null=True, blank=True, unique=True)
    wechat_unionid = models.CharField("微信 unionid", max_length=64, blank=True, db_index=True)
    display_name = models.CharField("昵称", max_length=50, blank=True)
    # Only an image uploaded here (linli.uploads), never a URL from elsewhere: the server and every
    # client that shows the avatar would otherwise fetch whatever address a user typed in.
    avatar = models.ForeignKey(
        "uploads.Upload", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="头像"
    )
    birth_date = models.DateField("出生日期", null=True, blank=True)
    token_version = models.PositiveIntegerField(
        "登录凭证版本", default=0, editable=False, help_text="加一即让此前签发的所有登录凭证失效"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["id"]

    def __str__(self):
        return self.display_name or self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_is_active = user.__dict__.get("is_active")
        return user

    def set_password(self, raw_password):
        # A new password ends every session signed in with the old one, when it is saved.
        super().set_password(raw_password)
        self._revoke_tokens_on_save = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._revoke_tokens_on_save = True

    def save(self, *args, **kwargs):
        # Deactivated: its tokens must not come back to life if the account is reactivated.
        deactivated = getattr(self, "_loaded_is_active", None) is True and self.is_active is False
        if self.pk is not None and (deactivated or getattr(self, "_revoke_tokens_on_save", False)):
            self.token_version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "token_version"}
        self._revoke_tokens_on_save = False
        super().save(*args, **kwargs)
        self._loaded_is_active = self.is_active

    def revoke_tokens(self) -> None:
        """Sign out everywhere: every access and refresh token issued so far stops working."""
        User.objects.filter(pk=self.pk).update(token_version=models.F("token_version") + 1)
        self.refresh_from_db(fields=["token_version"])

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
    CARE_WORKER = "care_worker", "助老服务员"
    OPS = "ops", "运维"  # sees the operations alerts in the console and /healthz/detail (linli.ops)
    # Scoped through Membership.scope: the contact of one 共建单位 of a 党建联盟 (participation) …
    ALLIANCE_MEMBER = "alliance_member", "共建单位联络人"
    # … and the liaison officer of one village liaison station (联络站) of the enforcement loop.
    LIAISON_OFFICER = "liaison_officer", "村联络员"


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


class RevokedTokenFamily(models.Model):
    """A chain of rotated refresh tokens that may no longer be refreshed: its owner logged out,
    or one of its already-used refresh tokens came back (a sign it was stolen)."""

    family = models.CharField("凭证链", max_length=64, unique=True)
    reason = models.CharField("原因", max_length=20)
    revoked_at = models.DateTimeField("失效时间", auto_now_add=True)

    class Meta:
        verbose_name = "已注销的登录凭证链"
        verbose_name_plural = "已注销的登录凭证链"
        ordering = ["-revoked_at"]

    def __str__(self):
        return self.family


class PhoneCode(models.Model):
    """The SMS code that proves a phone number before it becomes the user's (`services.phone_code_send`).

    One per user: asking again replaces it. The code itself is never stored, only its keyed hash
    (HMAC with SECRET_KEY over the user, the number and the code), so neither a database dump nor
    the console shows it. Dead after `PHONE_CODE_MAX_ATTEMPTS` wrong tries or once used.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="phone_code", verbose_name="用户")
    phone = models.CharField("手机号", max_length=20)
    code_hash = models.CharField("验证码摘要", max_length=64)
    sent_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    failed_attempts = models.PositiveSmallIntegerField("错误次数", default=0)

    class Meta:
        verbose_name = "手机验证码"
        verbose_name_plural = "手机验证码"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.user_id} → {mask_phone(self.phone)}"
