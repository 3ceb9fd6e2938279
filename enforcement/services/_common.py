from linli.api.errors import field_error
from linli.uploads.selectors import own_uploads

MAX_PHOTOS = 9


def check_photos(owner, photos, *, already: int = 0) -> list:
    """`photos` as uploads of `owner` (anyone else's is a validation error), at most MAX_PHOTOS in all."""
    photos = own_uploads(owner, photos or (), field="photos")
    if already + len(photos) > MAX_PHOTOS:
        raise field_error("photos", f"最多 {MAX_PHOTOS} 张照片")
    return photos
