"""Thin HTTP layer: residents under /residents/, property managers and community staff under /staff/."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from linli.accounts.models import Role
from linli.accounts.selectors import community_ids_for
from linli.api.errors import NotFoundError, field_error
from linli.api.permissions import has_role
from linli.api.views import ApiViewSet, SharedListMixin
from linli.family.acting import ActingViewMixin
from linli.family.models import Permission
from linli.regions import households
from residents import cache as residents_cache
from residents import selectors, services
from residents.api import serializers as s
from residents.filters import (
    AnnouncementFilterSet,
    EstateFilterSet,
    MyWorkOrderFilterSet,
    VerificationFilterSet,
    WorkOrderFilterSet,
)
from residents.models import WorkOrderCategory


class Viewset(ApiViewSet):  # ids in these URLs are numbers: anything else is a 404 at the router
    lookup_value_regex = r"\d+"


# --- places --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Estates (小区) with their buildings and rooms"),
    retrieve=extend_schema(summary="One estate with its buildings and rooms"),
)
class EstateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "住户"
    queryset = selectors.estates_with_rooms()
    serializer_class = s.EstateSerializer
    filterset_class = EstateFilterSet


@extend_schema_view(list=extend_schema(summary="Work-order categories with their SLA"))
class WorkOrderCategoryViewSet(SharedListMixin, mixins.ListModelMixin, Viewset):
    schema_topic = "报修"
    queryset = WorkOrderCategory.objects.filter(is_active=True)
    serializer_class = s.WorkOrderCategorySerializer
    shared_list_kind = residents_cache.CATEGORY_LIST  # residents/cache.py: the writes that replace it


# --- households ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My verified households"),
    retrieve=extend_schema(summary="One of my households"),
)
class HouseholdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    """The rooms I am a verified resident of (id = the room's id)."""

    schema_topic = "住户"
    serializer_class = s.HouseholdSerializer

    def get_queryset(self):
        return households.households_of(self.request.user)

    @extend_schema(
        summary="Members of my household (owner only)",
        responses={200: s.HouseholdMemberSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request, pk=None):
        members = services.household_members(user=request.user, room=self.get_object())
        return Response(s.HouseholdMemberSerializer(members, many=True).data)

    @extend_schema(summary="Remove myself from this household", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        services.household_leave(user=request.user, room=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- verifications -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My household verification applications"),
    retrieve=extend_schema(summary="One of my applications"),
)
class VerificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "住户认证"
    serializer_class = s.VerificationSerializer

    def get_queryset(self):
        return selectors.verifications_of(self.request.user)

    @extend_schema(
        summary="Apply to be verified as a resident of a room",
        description="One pending application per user and room (409 verification_pending); "
        "409 already_verified when I already live there; 409 limit_reached when I already have the "
        "使用限额 of pending applications (default 2).",
        request=s.VerificationInputSerializer,
        responses={201: s.VerificationSerializer},
    )
    def create(self, request):
        verification = services.verification_submit(user=request.user, **self.validated(s.VerificationInputSerializer))
        return self.respond(s.VerificationSerializer, verification, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Verification applications of my communities"),
    retrieve=extend_schema(summary="One verification application"),
)
class StaffVerificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "住户认证"
    serializer_class = s.StaffVerificationSerializer
    filterset_class = VerificationFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]

    def get_queryset(self):
        return selectors.verifications_for_staff(self.request.user)

    @extend_schema(
        summary="Approve: the applicant becomes a verified resident",
        request=None,
        responses={200: s.StaffVerificationSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        verification = services.verification_approve(verification=self.get_object(), reviewer=request.user)
        return self.respond(s.StaffVerificationSerializer, verification)

    @extend_schema(
        summary="Reject with a reason",
        request=s.VerificationRejectInputSerializer,
        responses={200: s.StaffVerificationSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        verification = self.get_object()
        data = self.validated(s.VerificationRejectInputSerializer)
        verification = services.verification_reject(
            verification=verification, reviewer=request.user, reason=data["reason"]
        )
        return self.respond(s.StaffVerificationSerializer, verification)


# --- work orders: residents ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="My work orders, newest first"),
    retrieve=extend_schema(summary="One of my work orders with its full timeline"),
)
class WorkOrderViewSet(ActingViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    """My work orders; with `?on_behalf_of=` (亲情账号, act_for) those of the elder I act for, filed as
    channel `family` with `acted_by` = me."""

    schema_topic = "报修"
    filterset_class = MyWorkOrderFilterSet
    acting_actions = dict.fromkeys(["list", "retrieve", "create", "cancel"], Permission.ACT_FOR)

    def get_queryset(self):
        queryset = selectors.work_orders_of(self.beneficiary)
        return selectors.with_timeline(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return s.WorkOrderDetailSerializer if self.action == "retrieve" else s.WorkOrderSerializer

    def _detail(self, work_order, status_code=status.HTTP_200_OK):
        fresh = selectors.with_timeline(selectors.work_orders_of(self.beneficiary)).get(pk=work_order.pk)
        return self.respond(s.WorkOrderDetailSerializer, fresh, status_code)

    @extend_schema(
        summary="File a repair, complaint or suggestion",
        description="Only a verified resident of the community (403 not_verified_resident).",
        request=s.WorkOrderInputSerializer,
        responses={201: s.WorkOrderDetailSerializer},
    )
    def create(self, request):
        work_order = services.work_order_submit(
            reporter=self.beneficiary, acted_by=self.acting.actor_or_none, **self.validated(s.WorkOrderInputSerializer)
        )
        return self._detail(work_order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm the fix and rate it (resolved → closed)",
        request=s.WorkOrderConfirmInputSerializer,
        responses={200: s.WorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderConfirmInputSerializer)
        work_order = services.work_order_confirm(
            work_order=work_order, actor=request.user, rating=data["rating"], comment=data["comment"]
        )
        return self._detail(work_order)

    @extend_schema(
        summary="Not fixed: send it back to the same handler (resolved → assigned)",
        request=s.WorkOrderReopenInputSerializer,
        responses={200: s.WorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderReopenInputSerializer)
        work_order = services.work_order_reopen(work_order=work_order, actor=request.user, reason=data["reason"])
        return self._detail(work_order)

    @extend_schema(
        summary="Withdraw an order nobody has taken yet (submitted → cancelled)",
        request=s.WorkOrderCancelInputSerializer,
        responses={200: s.WorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderCancelInputSerializer)
        work_order = services.work_order_cancel(
            work_order=work_order, actor=self.beneficiary, reason=data["reason"], acted_by=self.acting.actor_or_none
        )
        return self._detail(work_order)


# --- work orders: property managers and community staff ------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Work orders of my communities (overdue ones flagged)"),
    retrieve=extend_schema(summary="One work order with its timeline"),
)
class StaffWorkOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    """Property managers work the queue of their community; community staff see it all and reassign."""

    schema_topic = "报修"
    filterset_class = WorkOrderFilterSet
    permission_classes = [has_role(Role.PROPERTY_MANAGER, Role.COMMUNITY_STAFF)]

    def get_queryset(self):
        queryset = selectors.work_orders_for_staff(self.request.user)
        return selectors.with_timeline(queryset) if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return s.StaffWorkOrderDetailSerializer if self.action == "retrieve" else s.StaffWorkOrderSerializer

    def get_serializer_context(self):
        # The detail is for the handler, who has to call the resident back.
        return {**super().get_serializer_context(), "reveal_sensitive": self.action == "retrieve"}

    def _detail(self, work_order, status_code=status.HTTP_200_OK):
        fresh = selectors.with_timeline(selectors.work_orders_for_staff(self.request.user)).get(pk=work_order.pk)
        return self.respond(s.StaffWorkOrderDetailSerializer, fresh, status_code)

    @extend_schema(
        summary="File an order on a resident's behalf (channel staff or phone)",
        request=s.StaffWorkOrderInputSerializer,
        responses={201: s.StaffWorkOrderDetailSerializer},
    )
    def create(self, request):
        data = self.validated(s.StaffWorkOrderInputSerializer)
        work_order = services.work_order_submit(filed_by=request.user, **data)
        return self._detail(work_order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Assign to a handler, or transfer to another one (with a reason)",
        request=s.WorkOrderAssignInputSerializer,
        responses={200: s.StaffWorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderAssignInputSerializer)
        work_order = services.work_order_assign(
            work_order=work_order, actor=request.user, assignee=data["assignee"], reason=data["reason"]
        )
        return self._detail(work_order)

    @extend_schema(
        summary="Handlers I may assign an order of the community to: its property managers, with their open orders",
        description="For the assignment picker. `community` may be left out by staff of one community; "
        "a community I do not work for is 404.",
        parameters=[s.WorkOrderHandlersQuerySerializer],
        responses={200: s.WorkOrderHandlerSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def handlers(self, request):
        community_id = self.validated(s.WorkOrderHandlersQuerySerializer, data=request.query_params).get("community")
        mine = selectors.staff_community_ids(request.user)
        if community_id is None and len(mine) != 1:
            raise field_error("community", "您在多个社区工作，请选择社区")
        community_id = next(iter(mine)) if community_id is None else community_id
        if community_id not in mine:
            raise NotFoundError("社区不存在")
        page = self.paginate_queryset(selectors.work_order_handlers(community_id))
        return self.get_paginated_response(s.WorkOrderHandlerSerializer(page, many=True).data)

    @extend_schema(
        summary="Start working on it (assigned → in_progress); property managers only",
        request=s.WorkOrderNoteInputSerializer,
        responses={200: s.StaffWorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderNoteInputSerializer)
        work_order = services.work_order_start(work_order=work_order, actor=request.user, note=data["note"])
        return self._detail(work_order)

    @extend_schema(
        summary="Resolved (in_progress → resolved), with a note and before/after photos",
        request=s.WorkOrderResolveInputSerializer,
        responses={200: s.StaffWorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderResolveInputSerializer)
        work_order = services.work_order_resolve(
            work_order=work_order, actor=request.user, note=data["note"], photos=data["photos"]
        )
        return self._detail(work_order)

    @extend_schema(
        summary="Record the follow-up visit (回访) of a closed order",
        request=s.WorkOrderFollowUpInputSerializer,
        responses={200: s.StaffWorkOrderDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        work_order = self.get_object()
        data = self.validated(s.WorkOrderFollowUpInputSerializer)
        work_order = services.work_order_follow_up(work_order=work_order, actor=request.user, note=data["note"])
        return self._detail(work_order)

    @extend_schema(
        summary="Statistics per community: counts, median response/resolution time, on-time rate, rating",
        parameters=[s.WorkOrderStatsQuerySerializer],
        responses={200: s.WorkOrderStatsSerializer, 400: OpenApiResponse(description="Invalid dates")},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def stats(self, request):
        query = self.validated(s.WorkOrderStatsQuerySerializer, data=request.query_params)
        end_day = query.get("to") or timezone.localdate()
        start_day = query.get("from") or end_day - timedelta(days=30)
        tz = timezone.get_current_timezone()
        start = datetime.combine(start_day, time.min, tzinfo=tz)
        end = datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=tz)
        communities = selectors.work_order_stats(user=request.user, start=start, end=end)
        body = {"from": start_day, "to": end_day, "communities": communities}
        return Response(s.WorkOrderStatsSerializer(body).data)


# --- announcements -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Announcements of my communities, pinned first, with read state"),
    retrieve=extend_schema(summary="One announcement"),
)
class AnnouncementViewSet(SharedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    schema_topic = "公告"
    serializer_class = s.AnnouncementSerializer
    filterset_class = AnnouncementFilterSet

    def get_queryset(self):
        return selectors.announcements_for(self.request.user)

    # The list's cards come from the shared cache (SharedListMixin), built once for everyone living in
    # the same communities, with the same filters and page; my read state is added from my own rows.
    shared_list_kind = residents_cache.ANNOUNCEMENT_CARDS  # residents/cache.py: what replaces a page

    def shared_list_key(self):
        return tuple(sorted(community_ids_for(self.request.user, Role.RESIDENT)))

    def shared_list_queryset(self, key):
        return selectors.announcement_cards(key)

    def shared_list_serializer(self, page, **kwargs):
        return s.AnnouncementCardSerializer(page, context=self.get_serializer_context(), **kwargs)

    def shared_list_ends_at(self, queryset, key):
        return selectors.announcements_change_at(key)

    def shared_list_overlay(self, cards):
        read = selectors.read_announcement_ids(self.request.user, [card["id"] for card in cards]) if cards else set()
        return [{**card, "is_read": card["id"] in read} for card in cards]

    @extend_schema(summary="Mark as read", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        services.announcement_mark_read(announcement=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Announcements of the communities I work for"),
    retrieve=extend_schema(summary="One announcement with its read count"),
    destroy=extend_schema(summary="Delete an announcement"),
)
class StaffAnnouncementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, Viewset):
    schema_topic = "公告"
    serializer_class = s.StaffAnnouncementSerializer
    filterset_class = AnnouncementFilterSet
    permission_classes = [has_role(Role.COMMUNITY_STAFF)]

    def get_queryset(self):
        return selectors.announcements_for_staff(self.request.user)

    def perform_destroy(self, instance):
        services.announcement_delete(announcement=instance)

    def _detail(self, announcement, status_code=status.HTTP_200_OK):
        return self.respond(s.StaffAnnouncementSerializer, self.get_queryset().get(pk=announcement.pk), status_code)

    @extend_schema(
        summary="Publish an announcement",
        request=s.AnnouncementInputSerializer,
        responses={201: s.StaffAnnouncementSerializer},
    )
    def create(self, request):
        data = self.validated(s.AnnouncementInputSerializer)
        announcement = services.announcement_create(author=request.user, **data)
        return self._detail(announcement, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit an announcement",
        request=s.AnnouncementUpdateSerializer,
        responses={200: s.StaffAnnouncementSerializer},
    )
    def partial_update(self, request, pk=None):
        data = self.validated(s.AnnouncementUpdateSerializer, partial=True)
        announcement = services.announcement_update(announcement=self.get_object(), **data)
        return self._detail(announcement)
