"""The resident's inbox, push preferences and WeChat subscription quotas under /notifications/."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from linli.api.views import ApiView, ApiViewSet
from linli.notifications import selectors, services
from linli.notifications.api import serializers as s
from linli.notifications.filters import NotificationFilterSet
from linli.notifications.models import Notification


@extend_schema_view(list=extend_schema(summary="My notifications, newest first"))
class NotificationViewSet(mixins.ListModelMixin, ApiViewSet):
    serializer_class = s.NotificationSerializer
    filterset_class = NotificationFilterSet
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.inbox_of(self.request.user)

    @extend_schema(summary="How many of my notifications are unread", responses=s.UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request):
        return Response(s.UnreadCountSerializer({"unread": selectors.unread_count(request.user)}).data)

    @extend_schema(summary="Mark one notification read", request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(user=request.user, notification_id=int(pk))
        return Response(s.NotificationSerializer(notification).data)

    @extend_schema(summary="Mark all my notifications read", request=None, responses=s.ReadAllResultSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        updated = services.notifications_mark_all_read(user=request.user)
        return Response(s.ReadAllResultSerializer({"updated": updated}).data)


class PreferencesView(ApiView):
    """Which topics may push to me (WeChat, SMS). The inbox always gets every notification."""

    @extend_schema(summary="My notification preferences", responses=s.PreferencesSerializer)
    def get(self, request):
        return Response(s.PreferencesSerializer(selectors.preferences_of(request.user)).data)

    @extend_schema(
        summary="Replace the topics I turned off",
        description="Essential topics (essential=true) and unknown ones are refused with 400.",
        request=s.PreferencesInputSerializer,
        responses=s.PreferencesSerializer,
    )
    def put(self, request):
        services.preferences_update(user=request.user, **self.validated(s.PreferencesInputSerializer))
        return Response(s.PreferencesSerializer(selectors.preferences_of(request.user)).data)


class SubscriptionsView(ApiView):
    """WeChat one-time subscriptions: each acceptance of a template allows the backend one message."""

    @extend_schema(
        summary="Subscribable message templates and my remaining quota",
        responses=s.SubscriptionSerializer(many=True),
    )
    def get(self, request):
        return Response(s.SubscriptionSerializer(selectors.subscriptions_of(request.user), many=True).data)

    @extend_schema(
        summary="Report the templates I accepted in wx.requestSubscribeMessage",
        description="Adds one message to my quota per accepted template (a template listed twice counts once). "
        "Unknown template ids are 400. A send spends one; with none left the message stays in the inbox only.",
        request=s.SubscriptionInputSerializer,
        responses=s.SubscriptionQuotaSerializer(many=True),
    )
    def post(self, request):
        quotas = services.subscriptions_accept(user=request.user, **self.validated(s.SubscriptionInputSerializer))
        return Response(s.SubscriptionQuotaSerializer(quotas, many=True).data)
