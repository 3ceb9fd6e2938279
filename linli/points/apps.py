from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "linli.points"
    label = "points"
    verbose_name = "邻礼积分"
