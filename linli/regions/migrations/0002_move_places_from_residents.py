"""Estates, buildings and rooms move from the residents app to the platform (several scenarios need
them). Only Django's idea of where they live changes: the tables keep their names, and the content
types are renamed so households (`Membership.scope`) and permissions keep pointing at the same rows.
"""

import django.db.models.deletion
from django.db import migrations, models

PLACES = ("estate", "building", "room")


def move_content_types(apps, schema_editor, source="residents", target="regions"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in PLACES:
        # A fresh database has no content types yet (post_migrate creates them): nothing to move.
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="regions", target="residents")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0001_initial"),
        ("residents", "0005_remove_legacy_photo_urls"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Estate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(max_length=50, verbose_name='名称')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='estates', to='regions.community', verbose_name='社区')),
                    ],
                    options={
                        'verbose_name': '小区',
                        'verbose_name_plural': '小区',
                        'db_table': 'residents_estate',
                        'ordering': ['community_id', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Building',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('name', models.CharField(help_text='如 3幢', max_length=30, verbose_name='楼栋')),
                        ('unit', models.CharField(blank=True, help_text='如 2单元；无单元留空', max_length=30, verbose_name='单元')),
                        ('estate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='buildings', to='regions.estate', verbose_name='小区')),
                    ],
                    options={
                        'verbose_name': '楼栋',
                        'verbose_name_plural': '楼栋',
                        'db_table': 'residents_building',
                        'ordering': ['estate_id', 'name', 'unit'],
                    },
                ),
                migrations.CreateModel(
                    name='Room',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('number', models.CharField(help_text='如 502', max_length=20, verbose_name='房号')),
                        ('floor', models.SmallIntegerField(blank=True, null=True, verbose_name='楼层')),
                        ('building', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rooms', to='regions.building', verbose_name='楼栋')),
                    ],
                    options={
                        'verbose_name': '房屋',
                        'verbose_name_plural': '房屋',
                        'db_table': 'residents_room',
                        'ordering': ['building_id', 'number'],
                        'base_manager_name': 'objects',
                    },
                ),
                migrations.AddConstraint(
                    model_name='estate',
                    constraint=models.UniqueConstraint(fields=('community', 'name'), name='estate_unique_name_in_community'),
                ),
                migrations.AddConstraint(
                    model_name='building',
                    constraint=models.UniqueConstraint(fields=('estate', 'name', 'unit'), name='building_unique_unit'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.UniqueConstraint(fields=('building', 'number'), name='room_unique_number_in_building'),
                ),
    
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
