"""The one photo input of every app: ids of the requester's own uploads, in order, nothing else."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from linli.uploads.api.serializers import UploadIdsField
from tests import factories

pytestmark = pytest.mark.django_db


class Form(serializers.Serializer):
    photos = UploadIdsField(max_length=3)


def validate(user, photos):
    request = APIRequestFactory().post("/")
    request.user = user
    form = Form(data={"photos": photos}, context={"request": request})
    return form.validated_data["photos"] if form.is_valid() else form.errors["photos"]


def test_it_gives_my_uploads_in_my_order_without_repeats(resident):
    a, b = factories.make_upload(resident), factories.make_upload(resident)
    assert validate(resident, [b.pk, a.pk, b.pk]) == [b, a]
    assert validate(resident, []) == []


def test_unknown_and_someone_elses_ids_are_the_same_error(resident):
    theirs = factories.make_upload(factories.make_resident())
    assert validate(resident, [theirs.pk]) == validate(resident, [theirs.pk + 1000]) == ["图片不存在或不属于你"]


def test_urls_and_too_many_are_refused(resident):
    assert validate(resident, ["https://img.example.com/a.jpg"]) == ["请先上传图片，再提交图片的 id"]
    ids = [factories.make_upload(resident).pk for _ in range(4)]
    assert len(validate(resident, ids)) == 1  # "at most 3"
