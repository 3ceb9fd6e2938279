from rest_framework import serializers

from linli.api.serializers import ModelSerializer
from linli.notifications import conf
from linli.notifications.models import Notification


class NotificationSerializer(ModelSerializer):
    is_read = serializers.SerializerMethodField(help_text="Whether I have read it")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "data", "is_read", "read_at", "created_at"]
        read_only_fields = fields

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="How many of my notifications are unread")


class ReadAllResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text="How many notifications were marked read")


class PreferenceKindSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Topic key: a kind or a kind prefix such as work_order")
    label = serializers.CharField()
    essential = serializers.BooleanField(help_text="Essential topics cannot be turned off")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=conf.PUSH_CHANNELS))
    enabled = serializers.BooleanField(help_text="Pushes (WeChat, SMS) on; the inbox always gets the message")


class PreferencesSerializer(serializers.Serializer):
    muted = serializers.ListField(child=serializers.CharField(), help_text="Topics I turned off")
    kinds = PreferenceKindSerializer(many=True)


class PreferencesInputSerializer(serializers.Serializer):
    muted = serializers.ListField(
        child=serializers.CharField(max_length=50),
        allow_empty=True,
        max_length=100,
        help_text="The complete list of topics to turn off (replaces the previous one)",
    )


class SubscriptionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Topic key")
    label = serializers.CharField()
    template_id = serializers.CharField(help_text="Pass to wx.requestSubscribeMessage")
    remaining = serializers.IntegerField(help_text="Messages the backend may still send with this template")


class SubscriptionInputSerializer(serializers.Serializer):
    template_ids = serializers.ListField(
        child=serializers.CharField(max_length=64),
        min_length=1,
        max_length=20,
        help_text="Template ids the user accepted in wx.requestSubscribeMessage (one more message each)",
    )


class SubscriptionQuotaSerializer(serializers.Serializer):
    template_id = serializers.CharField()
    remaining = serializers.IntegerField()
