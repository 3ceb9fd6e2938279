"""Images residents, staff and merchants attach to work orders, problem reports, consultations and products.

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
        PRODUCT = "product", "商品图片"
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


class Attachment(models.Model):
    """One upload attached to an object, at a position: the link table of an ordered photo field.

    An app declares `photos = ManyToManyField("uploads.Upload", through="<Thing>Photo", related_name="+")`
    and `class <Thing>Photo(Attachment)` with a foreign key to the thing (`related_name="photo_links"`);
    `services.attachments_set` writes the links, reads prefetch them in order (`selectors.attachments`).
    Deleting an upload (the uploader's account erasure) deletes its links: the photo leaves the object.
    """

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="+", verbose_name="图片")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"#{self.position + 1} {self.upload_id}"
