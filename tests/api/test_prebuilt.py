"""ModelSerializer fields built once per class, handed out fresh to every instance (linli/api/prebuilt.py)."""

from rest_framework import serializers

from linli.api.prebuilt import PrebuiltFieldsMixin, _fresh
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
