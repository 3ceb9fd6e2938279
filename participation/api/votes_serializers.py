"""Serializers of votes and surveys (participation/api/votes.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from linli.api.fields import DateTimeField
from linli.api.serializers import ModelSerializer, RefSerializer, UserRefSerializer
from participation.models import Option, Question, Vote
from participation.selectors import votes as selectors
from participation.services.votes import MAX_OPTIONS, MAX_QUESTIONS

ID = {"min_value": 1, "max_value": 2**63 - 1}


class OptionSerializer(ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "position", "text"]
        read_only_fields = fields


class QuestionSerializer(ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "required", "max_choices", "max_length", "options"]
        read_only_fields = fields


class EstateRefSerializer(RefSerializer):
    pass


class VoteSerializer(ModelSerializer):
    """A vote as a resident sees it in the list."""

    community = RefSerializer(read_only=True)
    estate = EstateRefSerializer(read_only=True, allow_null=True)
    answered = serializers.BooleanField(read_only=True, help_text="I (or, in a household vote, my household) answered")
    accepting = serializers.SerializerMethodField(help_text="Open and within its times: answers are accepted now")
    results_available = serializers.SerializerMethodField(help_text="GET …/results/ answers now")

    class Meta:
        model = Vote
        fields = [
            "id",
            "kind",
            "title",
            "community",
            "estate",
            "unit",
            "anonymous",
            "results_visibility",
            "opens_at",
            "closes_at",
            "status",
            "answered",
            "accepting",
            "results_available",
        ]
        read_only_fields = fields

    def get_accepting(self, vote) -> bool:
        return selectors.is_accepting(vote)

    def get_results_available(self, vote) -> bool:
        return selectors.results_visible_to_residents(vote)


class MyBallotSerializer(serializers.Serializer):
    answered_at = DateTimeField(source="created_at")
    room = RefSerializer(allow_null=True, source="room_ref", help_text="The household it counts for (household votes)")
    by_me = serializers.BooleanField(help_text="False when another member of my household answered for it")


class VoteDetailSerializer(VoteSerializer):
    description = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="Published with the results; empty before")
    questions = QuestionSerializer(many=True, read_only=True)
    my_ballots = serializers.SerializerMethodField(help_text="My answers' status (never what was answered)")
    rooms = serializers.SerializerMethodField(help_text="My households that may answer (for `room` when answering)")

    class Meta(VoteSerializer.Meta):
        fields = [
            *VoteSerializer.Meta.fields,
            "description",
            "outcome",
            "published_at",
            "questions",
            "my_ballots",
            "rooms",
        ]
        read_only_fields = fields

    @extend_schema_field(MyBallotSerializer(many=True))
    def get_my_ballots(self, vote):
        user = self.context["request"].user
        rows = []
        for ballot in selectors.my_ballots(user, vote):
            ballot.room_ref = {"id": ballot.room.pk, "name": str(ballot.room)} if ballot.room else None
            rows.append(
                {"created_at": ballot.created_at, "room_ref": ballot.room_ref, "by_me": ballot.user_id == user.pk}
            )
        return MyBallotSerializer(rows, many=True).data

    @extend_schema_field(RefSerializer(many=True))
    def get_rooms(self, vote):
        rooms = selectors.households_for_vote(self.context["request"].user, vote)
        return [{"id": room.pk, "name": str(room)} for room in rooms]

    def to_representation(self, vote):
        data = super().to_representation(vote)
        if vote.status != Vote.Status.PUBLISHED:
            data["outcome"] = ""
        return data


class StaffVoteSerializer(ModelSerializer):
    community = RefSerializer(read_only=True)
    estate = EstateRefSerializer(read_only=True, allow_null=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)
    responses_count = serializers.IntegerField(read_only=True, help_text="Answer sheets so far")

    class Meta:
        model = Vote
        fields = [
            "id",
            "kind",
            "title",
            "community",
            "estate",
            "unit",
            "anonymous",
            "results_visibility",
            "opens_at",
            "closes_at",
            "status",
            "responses_count",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = UserRefSerializer(allow_null=True)
    note = serializers.CharField()
    created_at = DateTimeField()


class StaffVoteDetailSerializer(StaffVoteSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    history = HistorySerializer(many=True, read_only=True)

    class Meta(StaffVoteSerializer.Meta):
        fields = [*StaffVoteSerializer.Meta.fields, "description", "outcome", "published_at", "questions", "history"]
        read_only_fields = fields


# --- input ------------------------------------------------------------------------------------------


class QuestionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField(max_length=300)
    required = serializers.BooleanField(default=True)
    max_choices = serializers.IntegerField(
        min_value=1, max_value=MAX_OPTIONS, required=False, allow_null=True, help_text="Multiple choice only"
    )
    max_length = serializers.IntegerField(min_value=1, max_value=2000, default=500, help_text="Free text only")
    options = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=MAX_OPTIONS, default=list, help_text="Choices only"
    )


class VoteInputSerializer(serializers.Serializer):
    community = serializers.IntegerField(help_text="One of my communities", **ID)
    estate = serializers.IntegerField(required=False, allow_null=True, help_text="An estate of it; empty: all", **ID)
    kind = serializers.ChoiceField(choices=Vote.Kind.choices, default=Vote.Kind.VOTE)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    unit = serializers.ChoiceField(choices=Vote.Unit.choices, default=Vote.Unit.HOUSEHOLD)
    anonymous = serializers.BooleanField(default=False)
    results_visibility = serializers.ChoiceField(choices=Vote.Visibility.choices, default=Vote.Visibility.AFTER_CLOSE)
    opens_at = DateTimeField()
    closes_at = DateTimeField()
    questions = QuestionInputSerializer(many=True, max_length=MAX_QUESTIONS)


class VoteUpdateSerializer(VoteInputSerializer):
    """Every field optional; a draft takes them all, an open vote only `closes_at`."""

    community = None
    questions = QuestionInputSerializer(many=True, max_length=MAX_QUESTIONS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
            if hasattr(f, "default"):
                f.default = serializers.empty


class VoteOutcomeInputSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=2000, help_text="What was decided (published with the results)")


class VoteReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(**ID)
    options = serializers.ListField(
        child=serializers.IntegerField(**ID), max_length=MAX_OPTIONS, default=list, help_text="Chosen option ids"
    )
    text = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True, help_text="Free text")


class BallotInputSerializer(serializers.Serializer):
    room = serializers.IntegerField(
        required=False, allow_null=True, help_text="Household votes: my room it counts for (when I have several)", **ID
    )
    answers = AnswerInputSerializer(many=True, max_length=MAX_QUESTIONS)


class BallotSerializer(serializers.Serializer):
    vote = serializers.IntegerField(source="vote_id")
    answered_at = DateTimeField(source="created_at")
    room = serializers.IntegerField(source="room_id", allow_null=True)


# --- results ----------------------------------------------------------------------------------------


class OptionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    count = serializers.IntegerField()


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    answered = serializers.IntegerField(help_text="Answer sheets that answered this question")
    options = OptionResultSerializer(many=True)
    texts = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="Free-text answers: staff only (null for residents)"
    )


class ResultsSerializer(serializers.Serializer):
    vote = serializers.IntegerField()
    status = serializers.CharField()
    final = serializers.BooleanField(help_text="False while answers are still accepted (live results)")
    outcome = serializers.CharField(help_text="The published outcome; empty until published")
    responses = serializers.IntegerField()
    eligible = serializers.IntegerField(help_text="Households or persons who may answer (verified residents now)")
    turnout = serializers.FloatField(allow_null=True, help_text="responses / eligible, 0–1")
    questions = QuestionResultSerializer(many=True)
