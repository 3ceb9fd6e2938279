from rest_framework import serializers

from linli.api.errors import DomainError
from linli.api.serializers import ModelSerializer
from linli.uploads import selectors
from linli.uploads.models import Upload

MAX_ID = 2**63 - 1  # ids beyond what the database holds are a validation error, not a crash
MAX_PHOTOS = 9
NOT_AN_ID = "请先上传图片，再提交图片的 id"


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A JPEG, PNG or WebP image; EXIF (GPS) is removed, the name is not kept")
    purpose = serializers.ChoiceField(choices=Upload.Purpose.choices, default=Upload.Purpose.OTHER)


class UploadSerializer(ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Upload
        fields = ["id", "url", "purpose", "content_type", "size", "width", "height", "created_at"]
        read_only_fields = fields

    def get_url(self, upload) -> str:
        url = upload.file.url
        request = self.context.get("request")
        if request is not None and url.startswith("/"):
            return request.build_absolute_uri(url)
        return url


class PhotoSerializer(UploadSerializer):
    """A photo as every app shows it: the one output representation of an attached upload."""

    class Meta(UploadSerializer.Meta):
        fields = ["id", "url", "width", "height"]
        read_only_fields = fields


class AttachedPhotosSerializer(serializers.ListSerializer):
    """The photos of an ordered photo field, read from its link table (`source="photo_links"`), in order."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("child", PhotoSerializer())
        kwargs.setdefault("read_only", True)
        super().__init__(*args, **kwargs)

    def to_representation(self, data):
        links = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(link.upload) for link in links]


class UploadIdsField(serializers.ListField):
    """Ids of images the requesting user uploaded (POST /api/v1/uploads/), in the order to show them.

    The validated value is the Upload rows in that order, duplicates dropped. An unknown id and
    someone else's upload are the same 400, so nobody learns which ids exist. URLs are not accepted:
    photos are always this system's uploads.
    """

    def __init__(self, *, purpose: str = Upload.Purpose.OTHER, max_length: int = MAX_PHOTOS, **kwargs):
        self.purpose = purpose
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        kwargs.setdefault(
            "help_text",
            f"Ids of my uploads (POST /api/v1/uploads/, purpose `{purpose}`), in display order; at most {max_length}",
        )
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        try:
            ids = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict):  # items that are not ids, e.g. URLs: one message for the list
                raise serializers.ValidationError(NOT_AN_ID) from None
            raise
        request = self.context.get("request")
        assert request is not None, "UploadIdsField needs the request in the serializer context"
        try:
            return selectors.own_uploads(request.user, ids, field=self.field_name)
        except DomainError as error:
            raise serializers.ValidationError(error.message) from None
