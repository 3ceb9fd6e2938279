"""Street (街道 / 乡镇) → Community (社区): the tenancy boundary every scoping rule uses."""

from django.db import models

from linli.lib.models import TimestampedModel


class Street(TimestampedModel):
    class Kind(models.TextChoices):
        STREET = "street", "街道"
        TOWNSHIP = "township", "乡镇"

    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STREET)
    city = models.CharField("市", max_length=20)
    district = models.CharField("区县", max_length=20)
    code = models.SlugField("编码", max_length=40, unique=True)

    class Meta:
        verbose_name = "街道/乡镇"
        verbose_name_plural = "街道/乡镇"
        ordering = ["city", "district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="street_unique_name_in_district"),
        ]

    def __str__(self):
        return f"{self.district}{self.name}"


class Community(TimestampedModel):
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities", verbose_name="街道/乡镇")
    name = models.CharField("名称", max_length=50)
    code = models.SlugField("编码", max_length=40, unique=True)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    is_future_community = models.BooleanField("未来社区", default=True)

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"
        ordering = ["street__district", "street__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_unique_name_in_street"),
        ]

    def __str__(self):
        return self.name
