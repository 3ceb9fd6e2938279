"""Images residents attach to work orders, problem reports and consultations.

Only images that Pillow decodes are kept, re-encoded without EXIF (no GPS position leaves the
phone) under a random name; see `services.upload_create`. Files live in Django's default storage:
local disk by default, S3-compatible object storage in production (README, "Uploads").
"""

from django.conf import settings
from django.db import models


class Upload(models.Model):
    class Purpose(models.TextChoices):
        WORK_ORDER = "work_order", "报修/工单"
        REPORT = "report", "问题上报"
        CONSULTATION = "consultation", "问诊"
        AVATAR = "avatar", "头像"
        OTHER = "other", "其他"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads", verbose_name="上传人"
    )
    file = models.FileField("文件", max_length=200)
    purpose = models.CharField("用途", max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    width = models.PositiveIntegerField("宽度（像素）")
    height = models.PositiveIntegerField("高度（像素）")
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = "上传文件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="upload_owner_recent_idx")]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.file.name}"
