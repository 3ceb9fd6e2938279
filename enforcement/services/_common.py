from linli.api.errors import DomainError

MAX_PHOTOS = 9


def field_error(field: str, message: str) -> DomainError:
    return DomainError(message, code="validation_error", fields={field: [message]})


def check_photos(photos) -> list[str]:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise field_error("photos", f"最多 {MAX_PHOTOS} 张照片")
    return photos
