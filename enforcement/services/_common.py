from linli.api.errors import field_error

MAX_PHOTOS = 9


def check_photos(photos) -> list[str]:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise field_error("photos", f"最多 {MAX_PHOTOS} 张照片")
    return photos
