from rest_framework import serializers

from linli.uploads.models import Upload


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A JPEG, PNG or WebP image; EXIF (GPS) is removed, the name is not kept")
    purpose = serializers.ChoiceField(choices=Upload.Purpose.choices, default=Upload.Purpose.OTHER)


class UploadSerializer(serializers.ModelSerializer):
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
