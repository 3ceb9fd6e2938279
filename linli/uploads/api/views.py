from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.response import Response

from linli.uploads import selectors, services
from linli.uploads.api.serializers import UploadInputSerializer, UploadSerializer
from linli.uploads.filters import UploadFilterSet

# Room for the multipart envelope and the other form fields around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024


class UploadViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Images for work orders, problem reports and consultations. Each user sees only their own."""

    serializer_class = UploadSerializer
    filterset_class = UploadFilterSet
    parser_classes = [parsers.MultiPartParser]

    def get_queryset(self):
        return selectors.uploads_of(self.request.user)

    @extend_schema(summary="My uploaded images, newest first", tags=["uploads"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One of my uploaded images", tags=["uploads"])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Upload an image (multipart field `file`)",
        description=(
            "JPEG, PNG or WebP, verified by decoding it; at most UPLOAD_MAX_BYTES (10 MB) and UPLOAD_MAX_PIXELS. "
            "The stored copy is re-encoded without EXIF (no GPS position), orientation applied, under a random name."
        ),
        request={"multipart/form-data": UploadInputSerializer},
        responses={201: UploadSerializer},
        tags=["uploads"],
    )
    def create(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.UPLOAD_MAX_BYTES + _MULTIPART_OVERHEAD:
            # Refuse before Django spools a huge body to disk.
            raise services.InvalidUpload(f"文件不能超过 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
        data = UploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = services.upload_create(owner=request.user, **data.validated_data)
        return Response(UploadSerializer(upload, context={"request": request}).data, status=status.HTTP_201_CREATED)
