"""Where things are: township (乡镇/街道), village (村/社区) and squad (中队责任区) boundaries as GeoJSON
polygons with a cached bounding box, and the village liaison stations (联络站) whose liaison officers
(村联络员) file and follow reports for their village."""

from django.db import models
from django.db.models import Q

from enforcement.models.catalogue import Team
from enforcement.models.reports import ProblemReport
from linli.lib.models import TimestampedModel
from linli.regions.models import Street


class Boundary(TimestampedModel):
    """A GeoJSON Polygon or MultiPolygon (coordinates [lng, lat], WGS-84). The bbox columns are a cheap
    database prefilter; the exact point-in-polygon test is shapely's (enforcement/geo.py)."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", "乡镇（街道）"
        VILLAGE = "village", "村（社区）"
        SQUAD = "squad", "中队责任区"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=60)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）", help_text="所在乡镇（街道）"
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="areas",
        verbose_name="执法中队",
        help_text="中队责任区必填",
    )
    geometry = models.JSONField("边界（GeoJSON）")
    min_lat = models.FloatField("最小纬度")
    max_lat = models.FloatField("最大纬度")
    min_lng = models.FloatField("最小经度")
    max_lng = models.FloatField("最大经度")

    class Meta:
        verbose_name = "区划边界"
        verbose_name_plural = "区划边界"
        ordering = ["kind", "street_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street"], condition=Q(kind="township"), name="boundary_one_per_township"),
            models.UniqueConstraint(
                fields=["street", "name"], condition=Q(kind="village"), name="boundary_village_unique_name"
            ),
            models.UniqueConstraint(fields=["team"], condition=Q(kind="squad"), name="boundary_one_per_squad"),
            models.CheckConstraint(condition=~Q(kind="squad") | Q(team__isnull=False), name="boundary_squad_has_team"),
            models.CheckConstraint(
                condition=Q(min_lat__lte=models.F("max_lat")) & Q(min_lng__lte=models.F("max_lng")),
                name="boundary_bbox_ordered",
            ),
        ]
        indexes = [models.Index(fields=["kind", "min_lat", "max_lat", "min_lng", "max_lng"], name="boundary_bbox_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"


class LiaisonStation(TimestampedModel):
    """村联络站: a village's outpost of the township's enforcement; its liaison officers hold
    `Membership(role=LIAISON_OFFICER, scope=<LiaisonStation>)`."""

    name = models.CharField("名称", max_length=60, unique=True)
    code = models.SlugField("编码", max_length=40, unique=True)
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇（街道）")
    village = models.ForeignKey(
        Boundary,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        limit_choices_to={"kind": Boundary.Kind.VILLAGE},
        verbose_name="所在村（社区）边界",
    )
    lat = models.DecimalField("驻地纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("驻地经度", max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "村联络站"
        verbose_name_plural = "村联络站"
        ordering = ["street_id", "name"]

    def __str__(self):
        return self.name


class LiaisonReport(models.Model):
    """A report filed through a liaison station: the station's officers follow it."""

    report = models.OneToOneField(
        ProblemReport, on_delete=models.CASCADE, related_name="liaison", verbose_name="线索", primary_key=True
    )
    station = models.ForeignKey(LiaisonStation, on_delete=models.PROTECT, related_name="reports", verbose_name="联络站")

    class Meta:
        verbose_name = "联络站线索"
        verbose_name_plural = "联络站线索"
        ordering = ["-report_id"]

    def __str__(self):
        return f"{self.station} · #{self.report_id}"
