from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status
from rest_framework.response import Response

from linli.api.views import ApiViewSet
from linli.uploads import selectors, services
from linli.uploads.api.serializers import UploadInputSerializer, UploadSerializer
from linli.uploads.filters import UploadFilterSet

# Room for the multipart envelope and the other form fields around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024


@extend_schema_view(
    list=extend_schema(summary="My uploaded images, newest first"),
    retrieve=extend_schema(summary="One of my uploaded images"),
)
class UploadViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, ApiViewSet):
    """Images for work orders, problem reports and consultations. Each user sees only their own."""

    serializer_class = UploadSerializer
    filterset_class = UploadFilterSet
    parser_classes = [parsers.MultiPartParser]

    def get_queryset(self):
        return selectors.uploads_of(self.request.user)

    @extend_schema(
        summary="Upload an image (multipart field `file`)",
        description=(
            "JPEG, PNG or WebP, verified by decoding it; at most UPLOAD_MAX_BYTES (10 MB) and UPLOAD_MAX_PIXELS. "
            "The stored copy is re-encoded without EXIF (no GPS position), orientation applied, under a random name."
        ),
        request={"multipart/form-data": UploadInputSerializer},
        responses={201: UploadSerializer},
    )
    def create(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.UPLOAD_MAX_BYTES + _MULTIPART_OVERHEAD:
            # Refuse before Django spools a huge body to disk.
            raise services.InvalidUpload(f"文件不能超过 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
        data = self.validated(UploadInputSerializer)
        upload = services.upload_create(owner=request.user, **data)
        return Response(UploadSerializer(upload, context={"request": request}).data, status=status.HTTP_201_CREATED)
