import io
import logging
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from linli.accounts.models import User
from linli.api.errors import DomainError
from linli.uploads.models import Attachment, Upload

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str


FORMATS = {
    "JPEG": Format("image/jpeg", "jpg"),
    "PNG": Format("image/png", "png"),
    "WEBP": Format("image/webp", "webp"),
}
# Modes each format can be written in; anything else is converted first.
_SAVE_MODES = {
    "JPEG": {"L", "RGB", "CMYK"},
    "PNG": {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
}


class InvalidUpload(DomainError):
    code = "validation_error"
    default_message = "请求参数有误"

    def __init__(self, message: str):
        super().__init__("上传的文件无效", fields={"file": [message]})


def max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def _decode(data: bytes) -> Image.Image:
    """The image in `data`, fully decoded, or InvalidUpload. Never trusts the name or the client's type."""
    max_pixels = settings.UPLOAD_MAX_PIXELS
    with warnings.catch_warnings():
        # Above Pillow's own MAX_IMAGE_PIXELS it only warns; a decompression bomb is an error here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise InvalidUpload("只接受 JPEG、PNG 或 WebP 图片")
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise InvalidUpload(f"图片像素过多（最多 {max_pixels // 1_000_000} 百万像素）")
            image.verify()
            # verify() leaves the image unusable; decode it for real from the start.
            image = Image.open(io.BytesIO(data))
            image.load()
        except InvalidUpload:
            raise
        except Exception:
            # Pillow's decoders raise many exception types on malformed or truncated input
            # (OSError, SyntaxError, ValueError, struct.error, DecompressionBomb*, …): all mean "not an image".
            raise InvalidUpload("无法识别的图片，文件可能已损坏") from None
    return image


def _reencode(image: Image.Image) -> tuple[bytes, str, int, int]:
    """Apply the EXIF orientation, then write pixels only: no EXIF (GPS), XMP or text chunks survive."""
    fmt = image.format
    icc_profile = image.info.get("icc_profile")
    had_transparency = "transparency" in image.info
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:
        # Malformed EXIF: keep the pixels as they are; the EXIF is dropped below anyway.
        logger.info("upload: unreadable EXIF, orientation not applied", exc_info=True)
    if image.mode not in _SAVE_MODES[fmt]:
        has_alpha = "A" in image.getbands() or had_transparency
        image = image.convert("RGBA" if has_alpha and fmt != "JPEG" else "RGB")
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt in ("JPEG", "WEBP"):
        options["quality"] = 88
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue(), fmt, image.width, image.height


def upload_create(*, owner: User, file, purpose: str = Upload.Purpose.OTHER) -> Upload:
    """Verify an uploaded image, strip its metadata, store it under a random name and record it."""
    if file.size is not None and file.size > max_bytes():
        raise InvalidUpload(f"文件不能超过 {max_bytes() // (1024 * 1024)} MB")
    data = file.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise InvalidUpload(f"文件不能超过 {max_bytes() // (1024 * 1024)} MB")
    if not data:
        raise InvalidUpload("文件是空的")
    image = _decode(data)
    try:
        content, fmt, width, height = _reencode(image)
    except Exception:
        logger.warning("upload: decoded image could not be re-encoded (mode %s)", image.mode, exc_info=True)
        raise InvalidUpload("无法处理该图片，请换一张试试") from None
    kind = FORMATS[fmt]
    name = f"uploads/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{kind.extension}"
    stored_name = default_storage.save(name, ContentFile(content))
    try:
        with transaction.atomic():
            return Upload.objects.create(
                owner=owner,
                file=stored_name,
                purpose=purpose,
                content_type=kind.content_type,
                size=len(content),
                width=width,
                height=height,
            )
    except BaseException:
        default_storage.delete(stored_name)
        raise


def _links(instance, field_name: str) -> tuple[type[Attachment], str, str]:
    field = instance._meta.get_field(field_name)
    return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()


def attachments_set(instance, field_name: str, uploads: Sequence[Upload]) -> None:
    """Make `uploads` (checked by the caller: `selectors.own_uploads`) the photos of `instance`, in this order."""
    through, source, target = _links(instance, field_name)
    through.objects.filter(**{source: instance}).delete()
    through.objects.bulk_create(
        [through(**{source: instance, target: upload}, position=n) for n, upload in enumerate(uploads)]
    )


def attachments_add(instance, field_name: str, uploads: Sequence[Upload]) -> None:
    """Append `uploads` after the photos `instance` already has; ones already there are skipped."""
    through, source, target = _links(instance, field_name)
    existing = list(through.objects.filter(**{source: instance}).values_list(f"{target}_id", "position"))
    attached = {upload_id for upload_id, _ in existing}
    start = max((position for _, position in existing), default=-1) + 1
    fresh = [upload for upload in dict.fromkeys(uploads) if upload.pk not in attached]
    through.objects.bulk_create(
        [through(**{source: instance, target: upload}, position=start + n) for n, upload in enumerate(fresh)]
    )
