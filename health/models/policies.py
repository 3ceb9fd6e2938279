"""到家讲: policy articles for an audience (community, age, condition), and who read them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from health.models.clinics import Condition
from linli.lib.models import TimestampedModel
from linli.regions.models import Community


class PolicyArticle(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    title = models.CharField("标题", max_length=100)
    summary = models.CharField("摘要", max_length=200, blank=True)
    body = models.TextField("正文", max_length=20000)
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="health_policies",
        verbose_name="面向社区",
        help_text="留空：面向所有社区",
    )
    min_age = models.PositiveSmallIntegerField("最小年龄", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("最大年龄", null=True, blank=True)
    condition = models.CharField(
        "面向慢病人群", max_length=20, choices=Condition.choices, blank=True, help_text="留空：不限"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    pushed_at = models.DateTimeField("推送时间", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作者",
    )

    class Meta:
        verbose_name = "政策文章"
        verbose_name_plural = "政策宣讲"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=F("max_age")),
                name="health_policy_age_range",
            ),
        ]

    def __str__(self):
        return self.title


class PolicyRead(models.Model):
    article = models.ForeignKey(PolicyArticle, on_delete=models.CASCADE, related_name="reads", verbose_name="文章")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_policy_reads", verbose_name="读者"
    )
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = "阅读记录"
        verbose_name_plural = "阅读记录"
        ordering = ["-read_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["article", "reader"], name="health_policy_read_once")]

    def __str__(self):
        return f"{self.reader} · {self.article}"
