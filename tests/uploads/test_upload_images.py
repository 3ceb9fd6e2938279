import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.uploads.models import Upload
from tests.uploads.images import gps_of, image_bytes

URL = "/api/v1/uploads/"
pytestmark = pytest.mark.django_db


def post(client, data: bytes, name="photo.jpg", content_type="image/jpeg", **fields):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type), **fields}, format="multipart")


def stored_bytes(upload_id: int) -> bytes:
    with default_storage.open(Upload.objects.get(pk=upload_id).file.name) as f:
        return f.read()


def test_it_stores_a_photo_without_its_gps_position(as_user, resident):
    original = image_bytes("JPEG", gps=True)
    assert gps_of(original), "the test photo carries a GPS position"

    response = post(as_user(resident), original, purpose="work_order")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "image/jpeg"
    assert (body["width"], body["height"], body["purpose"]) == (64, 48, "work_order")
    stored = stored_bytes(body["id"])
    assert gps_of(stored) == {}
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Linli Test Phone" not in stored
    assert body["size"] == len(stored)


def test_it_applies_the_exif_orientation_before_dropping_it(as_user, resident):
    # Orientation 6: the camera was turned, viewers rotate 90°. The stored pixels are upright.
    response = post(as_user(resident), image_bytes("JPEG", size=(40, 20), orientation=6))
    assert response.status_code == 201, response.json()
    assert (response.json()["width"], response.json()["height"]) == (20, 40)
    assert Image.open(io.BytesIO(stored_bytes(response.json()["id"]))).size == (20, 40)


def test_it_gives_the_file_a_random_name_of_its_own(as_user, resident):
    body = post(as_user(resident), image_bytes("PNG"), name="张大爷家的厨房.png", content_type="image/png").json()
    name = Upload.objects.get(pk=body["id"]).file.name
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png", name), name
    assert "厨房" not in body["url"]
    assert body["url"].startswith("http://testserver/media/uploads/")
    assert default_storage.exists(name)


@pytest.mark.parametrize(
    ("fmt", "mode", "content_type"),
    [
        ("PNG", "RGBA", "image/png"),
        ("PNG", "P", "image/png"),
        ("WEBP", "RGB", "image/webp"),
        ("JPEG", "L", "image/jpeg"),
    ],
)
def test_it_accepts_jpeg_png_and_webp(as_user, resident, fmt, mode, content_type):
    color = 3 if mode in ("P", "L") else (10, 20, 30, 128)[: len(mode)]
    response = post(
        as_user(resident), image_bytes(fmt, mode=mode, color=color), content_type="application/octet-stream"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == content_type  # from the decoded image, not from the client


def test_the_type_comes_from_the_content_not_the_name(as_user, resident):
    response = post(as_user(resident), image_bytes("PNG"), name="photo.jpg", content_type="image/jpeg")
    assert response.json()["content_type"] == "image/png"
    assert Upload.objects.get().file.name.endswith(".png")


def assert_rejected(response, message_part: str):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["fields"]) == ["file"]
    assert message_part in body["fields"]["file"][0]
    assert not Upload.objects.exists()


def test_it_rejects_a_text_file_named_like_a_photo(as_user, resident):
    assert_rejected(post(as_user(resident), "我不是图片".encode() * 20), "无法识别")


def test_it_rejects_a_truncated_image(as_user, resident):
    data = image_bytes("JPEG", size=(400, 300))
    assert_rejected(post(as_user(resident), data[: len(data) // 2]), "无法识别")


def test_it_rejects_other_image_formats(as_user, resident):
    assert_rejected(post(as_user(resident), image_bytes("GIF", mode="P", color=1), name="a.gif"), "JPEG、PNG 或 WebP")


def test_it_rejects_a_file_over_the_size_limit(as_user, resident, settings):
    data = image_bytes("PNG", size=(300, 300), mode="RGB", color=(1, 2, 3))
    settings.UPLOAD_MAX_BYTES = len(data) - 1
    assert_rejected(post(as_user(resident), data, name="a.png"), "不能超过")


def test_it_rejects_a_huge_body_before_reading_it(as_user, resident, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    data = b"\xff\xd8" + b"0" * (200 * 1024)
    assert_rejected(post(as_user(resident), data), "不能超过")


def test_it_rejects_a_decompression_bomb(as_user, resident, settings):
    # 4000×4000 of one colour compresses to a few kB but would take 48 MB of memory.
    settings.UPLOAD_MAX_PIXELS = 10_000_000
    data = image_bytes("PNG", size=(4000, 4000), color=(0, 0, 0))
    assert len(data) < 100_000
    assert_rejected(post(as_user(resident), data, name="bomb.png"), "像素过多")


def test_it_rejects_an_empty_file(as_user, resident):
    response = post(as_user(resident), b"")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "file" in response.json()["fields"]


def test_it_rejects_a_missing_file_and_a_bad_purpose(as_user, resident):
    response = as_user(resident).post(URL, {"purpose": "selfie"}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"file", "purpose"}


def test_it_accepts_only_multipart(as_user, resident):
    response = as_user(resident).post(URL, {"file": "aGVsbG8="}, format="json")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_it_needs_a_login(api):
    response = post(api, image_bytes())
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Upload.objects.exists()
