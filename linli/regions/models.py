"""Street (街道 / 乡镇) → Community (社区): the tenancy boundary every scoping rule uses; and the places
inside a community where people live, Estate (小区) → Building (楼栋/单元) → Room (房屋).

The places are the platform's because several scenarios need them: residents verify a household in a
room, property bills a room by its floor area, home care checks in at the elder's estate. A verified
household is a `Membership(role=RESIDENT, scope=<Room>)`; `linli.regions.households` reads them.
Their tables keep the names they had when the residents app owned them (`residents_estate`, …):
renaming a table under a serving old version is not a safe migration.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
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


class Estate(TimestampedModel):
    """小区."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="estates", verbose_name="社区")
    name = models.CharField("名称", max_length=50)
    address = models.CharField("地址", max_length=200, blank=True)
    # Where the estate's gate is (GCJ-02, as the mini-program's map reports): home-care workers check
    # in within a set distance of it.
    latitude = models.DecimalField(
        "纬度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        db_table = "residents_estate"
        verbose_name = "小区"
        verbose_name_plural = "小区"
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="estate_unique_name_in_community")]

    def __str__(self):
        return self.name


class Building(TimestampedModel):
    """楼栋 with its unit (单元): "3幢" + "2单元"."""

    estate = models.ForeignKey(Estate, on_delete=models.PROTECT, related_name="buildings", verbose_name="小区")
    name = models.CharField("楼栋", max_length=30, help_text="如 3幢")
    unit = models.CharField("单元", max_length=30, blank=True, help_text="如 2单元；无单元留空")

    class Meta:
        db_table = "residents_building"
        verbose_name = "楼栋"
        verbose_name_plural = "楼栋"
        ordering = ["estate_id", "name", "unit"]
        constraints = [models.UniqueConstraint(fields=["estate", "name", "unit"], name="building_unique_unit")]

    def __str__(self):
        return f"{self.estate} {self.name}{self.unit}"


class RoomManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("building__estate")


class Room(TimestampedModel):
    """房屋. Its name ("春江月小区 3幢2单元 502室") is what /me shows for the household."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="rooms", verbose_name="楼栋")
    number = models.CharField("房号", max_length=20, help_text="如 502")
    floor = models.SmallIntegerField("楼层", null=True, blank=True)
    area_m2 = models.DecimalField(
        "建筑面积（㎡）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="按面积计收的物业费以此为准",
    )

    # The base manager joins building and estate: memberships_of() loads rooms through the generic
    # `scope` relation (which uses the base manager), and str(room) then needs no further query.
    objects = RoomManager()

    class Meta:
        db_table = "residents_room"
        verbose_name = "房屋"
        verbose_name_plural = "房屋"
        ordering = ["building_id", "number"]
        base_manager_name = "objects"
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="room_unique_number_in_building")]

    def __str__(self):
        building = self.building
        return f"{building.estate.name} {building.name}{building.unit} {self.number}室"
