"""在社区当家: residents answer the votes and surveys of their community or estate and see the results when
the vote shows them; community staff draft, open, close, cancel and publish them and read full results."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action

from linli.accounts.models import Role
from linli.api.errors import field_error
from linli.api.permissions import has_role
from linli.api.schema import ErrorSerializer
from linli.api.views import ApiViewSet
from linli.regions.models import Community, Estate, Room
from participation.api import votes_serializers as s
from participation.filters.votes import StaffVoteFilterSet, VoteFilterSet
from participation.models import VoteHistory
from participation.selectors import votes as selectors
from participation.services import votes as services

STAFF = [has_role(Role.COMMUNITY_STAFF)]
NOT_MINE = OpenApiResponse(ErrorSerializer, description="Not a vote I may answer, or not found (not_found)")
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="already_answered (my household or I answered), vote_not_accepting (not open or outside its times)",
)


class Viewset(ApiViewSet):
    lookup_value_regex = r"\d+"
    schema_topic = "在社区当家"


def _questions(specs):
    return [services.QuestionSpec(**spec) for spec in specs]


def _results(vote, *, with_texts: bool) -> dict:
    return {
        "vote": vote.pk,
        "status": vote.status,
        "final": selectors.is_over(vote),
        "outcome": vote.outcome if vote.status == vote.Status.PUBLISHED else "",
        **selectors.results(vote, with_texts=with_texts),
    }


# --- residents --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Votes and surveys I may answer (my communities' and estates')"),
    retrieve=extend_schema(summary="One vote with its questions and my answer's status"),
)
class VoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = VoteFilterSet

    def get_queryset(self):
        queryset = selectors.votes_for_resident(self.request.user)
        if self.action not in ("list", "results"):
            queryset = selectors.with_questions(queryset)
        return queryset

    def get_serializer_class(self):
        return s.VoteSerializer if self.action == "list" else s.VoteDetailSerializer

    @extend_schema(
        summary="Answer a vote (once per household or per person, as the vote says)",
        description="Choices are checked against the questions (single choice: one option; multiple choice: "
        "at most `max_choices`; free text: at most `max_length` characters; required questions answered). "
        "409 `already_answered` when my household (household votes) or I (person votes) answered already — "
        "decided by the database, so concurrent answers count once; 409 `vote_not_accepting` outside the "
        "vote's times. In an anonymous vote the answers are stored apart from who answered.",
        request=s.BallotInputSerializer,
        responses={201: s.BallotSerializer, 404: NOT_MINE, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        vote = self.get_object()
        data = self.validated(s.BallotInputSerializer)
        room = None
        if data.get("room") is not None:
            room = Room.objects.filter(pk=data["room"]).first()
            if room is None:
                raise field_error("room", "该房屋不是您在本次投票范围内的住户")
        answers = [services.AnswerSpec(**a) for a in data["answers"]]
        ballot = services.vote_answer(vote=vote, user=request.user, answers=answers, room=room)
        return self.respond(s.BallotSerializer, ballot, status.HTTP_201_CREATED)

    @extend_schema(
        summary="The results: counts per option and turnout (free-text answers are for staff only)",
        description="Live while the vote runs when the vote shows results live; otherwise once it is over. "
        "409 `results_hidden` before then. The outcome comes with them once published.",
        responses={200: s.ResultsSerializer, 404: NOT_MINE, 409: OpenApiResponse(ErrorSerializer, "results_hidden")},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        vote = self.get_object()
        if not selectors.results_visible_to_residents(vote):
            raise services.ResultsHidden()
        return self.respond(s.ResultsSerializer, _results(vote, with_texts=False))


# --- staff ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Votes and surveys of my communities"),
    retrieve=extend_schema(summary="One vote with its questions and history"),
)
class StaffVoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Viewset):
    filterset_class = StaffVoteFilterSet
    permission_classes = STAFF

    def get_queryset(self):
        queryset = selectors.votes_for_staff(self.request.user)
        if self.action not in ("list", "results"):
            history = VoteHistory.objects.select_related("actor").order_by("created_at", "id")
            queryset = selectors.with_questions(queryset).prefetch_related(Prefetch("history", queryset=history))
        return queryset

    def get_serializer_class(self):
        return s.StaffVoteSerializer if self.action == "list" else s.StaffVoteDetailSerializer

    def _detail(self, vote, code=status.HTTP_200_OK):
        return self.respond(s.StaffVoteDetailSerializer, self.get_queryset().get(pk=vote.pk), code)

    def _estate(self, community_id, estate_id):
        if estate_id is None:
            return None
        estate = Estate.objects.filter(pk=estate_id, community_id=community_id).first()
        if estate is None:
            raise field_error("estate", "小区不属于该社区")
        return estate

    @extend_schema(
        summary="Draft a vote or survey with its questions (residents see it once opened)",
        request=s.VoteInputSerializer,
        responses={201: s.StaffVoteDetailSerializer},
    )
    def create(self, request):
        data = self.validated(s.VoteInputSerializer)
        community = Community.objects.filter(
            pk=data.pop("community"), pk__in=selectors.staff_community_ids(request.user)
        ).first()
        if community is None:
            raise field_error("community", "只能在您所在的社区发起")
        estate = self._estate(community.pk, data.pop("estate", None))
        questions = _questions(data.pop("questions"))
        vote = services.vote_create(actor=request.user, community=community, estate=estate, questions=questions, **data)
        return self._detail(vote, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a draft (questions are replaced when given); an open vote's closing time only",
        description="409 `invalid_transition` for anything else once opened.",
        request=s.VoteUpdateSerializer,
        responses={200: s.StaffVoteDetailSerializer},
    )
    def partial_update(self, request, pk=None):
        vote = self.get_object()
        data = self.validated(s.VoteUpdateSerializer)
        if "estate" in data:
            data["estate"] = self._estate(vote.community_id, data["estate"])
        questions = _questions(data.pop("questions")) if "questions" in data else None
        return self._detail(services.vote_update(vote=vote, actor=request.user, questions=questions, **data))

    @extend_schema(
        summary="Open a draft to the residents (draft → open)",
        request=None,
        responses={200: s.StaffVoteDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._detail(services.vote_open(vote=self.get_object(), actor=request.user))

    @extend_schema(summary="Close it now (open → closed)", request=None, responses={200: s.StaffVoteDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._detail(services.vote_close(vote=self.get_object(), actor=request.user))

    @extend_schema(
        summary="Publish the outcome with the results (closed → published)",
        request=s.VoteOutcomeInputSerializer,
        responses={200: s.StaffVoteDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        data = self.validated(s.VoteOutcomeInputSerializer)
        return self._detail(services.vote_publish(vote=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Cancel a draft or open vote, with a reason",
        request=s.VoteReasonInputSerializer,
        responses={200: s.StaffVoteDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self.validated(s.VoteReasonInputSerializer)
        return self._detail(services.vote_cancel(vote=self.get_object(), actor=request.user, **data))

    @extend_schema(
        summary="Full results at any time: counts, turnout and the free-text answers",
        description="Anonymous votes give the same: nothing here names who answered.",
        responses={200: s.ResultsSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        vote = self.get_object()
        return self.respond(s.ResultsSerializer, _results(vote, with_texts=True))
