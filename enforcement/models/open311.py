"""Client apps allowed to POST into the loop through Open311 GeoReport v2."""

import hashlib

from django.db import models


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Open311Client(models.Model):
    """An app with an api_key. Only the key's SHA-256 is stored; the key is shown once when issued."""

    name = models.CharField("应用名称", max_length=60, unique=True)
    contact = models.CharField("联系人", max_length=100, blank=True)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    key_prefix = models.CharField("密钥前缀", max_length=8, editable=False, help_text="用于辨认，不足以使用")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "Open311 接入应用"
        verbose_name_plural = "Open311 接入应用"
        ordering = ["name"]

    def __str__(self):
        return self.name
