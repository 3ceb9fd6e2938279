from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    label = "participation"
    verbose_name = "红色礼享家·在社区当家"
