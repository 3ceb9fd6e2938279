"""ModelSerializer fields built once per class, handed out fresh to every instance, and objects turned into
dicts as DRF does with less of its work (linli/api/prebuilt.py)."""

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from linli.api.fields import DateTimeField
from linli.api.prebuilt import FastRepresentationMixin, PrebuiltFieldsMixin, _fresh
from linli.regions.models import Community


class CommunityCard(PrebuiltFieldsMixin, serializers.ModelSerializer):
    street = serializers.StringRelatedField()

    class Meta:
        model = Community
        fields = ["id", "name", "code", "street", "is_future_community"]


def test_it_introspects_the_model_once_per_class(monkeypatch):
    built = []
    original = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "build_field",
        lambda self, *args: built.append(args[0]) or original(self, *args),
    )

    first = list(CommunityCard().fields)
    once = len(built)
    second = list(CommunityCard().fields)

    assert first == second == ["id", "name", "code", "street", "is_future_community"]
    assert len(built) == once  # the second instance built nothing


def test_every_instance_gets_its_own_fields_bound_to_itself():
    one, two = CommunityCard(context={"who": 1}), CommunityCard(context={"who": 2})

    for name in one.fields:
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].parent is one and two.fields[name].parent is two
        assert (one.fields[name].context["who"], two.fields[name].context["who"]) == (1, 2)


def test_it_serializes_like_drf(db):
    from tests import factories

    community = factories.make_community(name="斗潭社区", code="doutan")

    data = CommunityCard(community).data

    assert data == {
        "id": community.pk,
        "name": "斗潭社区",
        "code": "doutan",
        "street": str(community.street),
        "is_future_community": community.is_future_community,
    }


def test_a_field_holding_another_field_is_copied_whole():
    prototype = serializers.ListField(child=serializers.IntegerField())

    copy = _fresh(prototype, declared=False)

    assert copy is not prototype and copy.child is not prototype.child


# --- FastRepresentationMixin: DRF's answers, less of its work --------------------------------------


class Person(SimpleNamespace):
    def __str__(self):
        return f"{self.name}（{self.id}）"

    @property
    def profile(self):
        raise ObjectDoesNotExist  # a reverse one-to-one that is not there

    def get_street(self, polite=True):  # arguments with defaults: called, as DRF does
        return self.street

    def needs(self, argument):  # a required argument: DRF hands over the method itself
        return argument


class PersonCard(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    label = serializers.CharField(source="__str__")  # a method: called, as DRF does
    street_city = serializers.CharField(source="get_street.city", allow_null=True)  # a chain through one
    method = serializers.CharField(source="needs")
    city = serializers.CharField(source="street.city", allow_null=True)  # a chain, through a None
    profile = serializers.CharField(source="profile.bio", allow_null=True)  # ObjectDoesNotExist → None
    optional = serializers.CharField(source="absent", required=False)  # missing → left out
    defaulted = serializers.CharField(source="absent", default="—")  # missing → the default
    double = serializers.SerializerMethodField()
    moment = DateTimeField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())

    def get_double(self, person):
        return person["id"] * 2 if isinstance(person, dict) else person.id * 2


class FastPersonCard(FastRepresentationMixin, PersonCard):
    pass


PEOPLE = [
    Person(
        id=1,
        name="张大爷",
        street=SimpleNamespace(city="衢州市"),
        moment=datetime(2026, 12, 6, 1, 2, tzinfo=UTC),
        tags=["a"],
    ),
    Person(id=2, name="李阿姨", street=None, moment=None, tags=[]),
]


@pytest.mark.parametrize("person", PEOPLE, ids=["full", "missing-values"])
def test_it_serializes_an_object_like_drf(person):
    assert FastPersonCard(person).data == PersonCard(person).data


def test_it_serializes_a_list_like_drf():
    assert FastPersonCard(PEOPLE, many=True).data == PersonCard(PEOPLE, many=True).data


def test_it_serializes_a_dict_like_drf():
    row = {"id": 3, "name": "王师傅", "street": None, "profile": None, "moment": None, "tags": ["x"]}

    class Card(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        tags = serializers.ListField(child=serializers.CharField())
        double = serializers.SerializerMethodField()

        def get_double(self, row):
            return row["id"] * 2

    class FastCard(FastRepresentationMixin, Card):
        pass

    assert FastCard(row).data == Card(row).data == {"id": 3, "name": "王师傅", "tags": ["x"], "double": 6}


def test_it_raises_like_drf_when_a_method_fails():
    class Broken(Person):
        def __str__(self):
            raise AttributeError("gone")

    class Card(serializers.Serializer):
        label = serializers.CharField(source="__str__")

    class FastCard(FastRepresentationMixin, Card):
        pass

    with pytest.raises(ValueError) as drf:
        Card(Broken(id=1)).data  # noqa: B018 (the property raises: what the test checks)
    with pytest.raises(ValueError) as fast:
        FastCard(Broken(id=1)).data  # noqa: B018
    assert str(fast.value) == str(drf.value)


def test_it_raises_like_drf_for_a_required_value_that_is_missing():
    class Card(serializers.Serializer):
        city = serializers.CharField(source="street.city")

    class FastCard(FastRepresentationMixin, Card):
        pass

    person = Person(id=4, name="赵", street=None)
    with pytest.raises(AttributeError) as drf:
        Card(person).data  # noqa: B018
    with pytest.raises(AttributeError) as fast:
        FastCard(person).data  # noqa: B018
    assert str(fast.value).replace("FastCard", "Card") == str(drf.value)  # the same words, naming its class


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 6, 8, 30, tzinfo=UTC),
        datetime(2026, 12, 6, 8, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8))),
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(2026, 12, 6, 8, 30),  # naive: DRF's own way
    ],
    ids=["utc", "shanghai-offset", "earliest", "naive"],
)
@pytest.mark.parametrize(
    "kwargs", [{}, {"format": "%Y-%m-%d %H:%M"}, {"default_timezone": UTC}], ids=["default", "format", "zone"]
)
def test_date_times_read_like_drf(moment, kwargs):
    assert DateTimeField(**kwargs).to_representation(moment) == serializers.DateTimeField(**kwargs).to_representation(
        moment
    )
