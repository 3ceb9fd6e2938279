import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from linli.api.fields import MaskedIdNumberField, MaskedPhoneField
from linli.lib.masking import mask_id_number, mask_name, mask_phone
from tests import factories


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86*******5678"),
        ("0570-8881234", "057*****1234"),
        ("12345", "****5"),
        ("12", "**"),
        ("", ""),
        (None, None),
    ],
)
def test_it_masks_phone_numbers(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("330802195203151234", "330***********1234"),
        ("33080219520315123X", "330***********123X"),
        ("330802520315123", "330********5123"),  # old 15-digit numbers
        ("A1234", "***34"),
        ("", ""),
    ],
)
def test_it_masks_id_numbers_including_the_birth_date(value, masked):
    assert mask_id_number(value) == masked
    if len(value) == 18:
        assert "1952" not in masked


def test_it_masks_names_but_the_family_name():
    assert (mask_name("张大爷"), mask_name("李"), mask_name("")) == ("张**", "*", "")


class ResidentRow(serializers.Serializer):
    id = serializers.IntegerField()
    phone = MaskedPhoneField()
    id_number = MaskedIdNumberField(source="last_name")


@pytest.mark.django_db
class TestMaskedFields:
    def row(self, resident, viewer, **context):
        request = APIRequestFactory().get("/")
        request.user = viewer
        return ResidentRow(resident, context={"request": request, **context}).data

    def test_staff_lists_show_the_phone_masked(self):
        resident = factories.make_resident(phone="13812345678", last_name="330802195203151234")
        data = self.row(resident, factories.make_user(is_staff=True))
        assert (data["phone"], data["id_number"]) == ("138****5678", "330***********1234")

    def test_people_see_their_own_numbers(self):
        resident = factories.make_resident(phone="13812345678")
        assert self.row(resident, resident)["phone"] == "13812345678"

    def test_the_view_may_reveal_them_to_who_needs_them(self):
        resident = factories.make_resident(phone="13812345678")
        assert self.row(resident, factories.make_user(), reveal_sensitive=True)["phone"] == "13812345678"

    def test_a_reveal_rule_decides_per_object(self):
        class Row(serializers.Serializer):
            phone = MaskedPhoneField(reveal=lambda request, obj: obj.display_name == "王芳")

        request = APIRequestFactory().get("/")
        request.user = factories.make_user()
        rows = [
            factories.make_user(display_name=name, phone=f"1390000000{i}") for i, name in enumerate(["王芳", "赵磊"])
        ]
        data = Row(rows, many=True, context={"request": request}).data
        assert [r["phone"] for r in data] == ["13900000000", "139****0001"]

    def test_missing_numbers_stay_missing(self):
        data = self.row(factories.make_resident(phone=None), factories.make_user())
        assert data["phone"] is None

    def test_without_a_request_it_masks(self):
        resident = factories.make_resident(phone="13812345678")
        assert ResidentRow(resident).data["phone"] == "138****5678"
