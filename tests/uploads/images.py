"""Real image files for upload tests, made with Pillow."""

import io

from PIL import ExifTags, Image

# 斗潭社区, 衢州: what a phone writes into a photo's EXIF.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (28.0, 57.0, 36.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (118.0, 52.0, 12.0),
}


def image_bytes(fmt: str = "JPEG", size=(64, 48), *, mode="RGB", color=(200, 80, 40), gps=False, orientation=None):
    image = Image.new(mode, size, color)
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "Linli Test Phone"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if (gps or orientation) else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))
