"""Estates, buildings and rooms now belong to the platform (linli.regions, migration 0002 there): the
residents app forgets them and its foreign keys point at the platform's models, over the same
tables. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_move_places_from_residents"),
        ("residents", "0005_remove_legacy_photo_urls"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="workorder",
                    name="room",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_orders",
                        to="regions.room",
                        verbose_name="房屋",
                    ),
                ),
                migrations.AlterField(
                    model_name="verification",
                    name="room",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="verifications",
                        to="regions.room",
                        verbose_name="房屋",
                    ),
                ),
                migrations.DeleteModel(name="Room"),
                migrations.DeleteModel(name="Building"),
                migrations.DeleteModel(name="Estate"),
            ],
        ),
    ]
