"""Quality-gate registrations for the uploads endpoints (see tests/quality/registry.py)."""

from tests import factories


def make_uploads(persona, n):
    for _ in range(n):
        factories.make_upload(persona.user)


def my_upload(persona):
    return {"id": factories.make_upload(persona.user).pk}


LIST_DATA = {
    "/api/v1/uploads/": ("resident", make_uploads),
}

DETAIL_BUDGETS = {
    # 1 token user, 1 the upload (scoped to its owner)
    "/api/v1/uploads/{id}/": ("resident", my_upload, 2),
}


def give_uploads(user):
    from tests.uploads.images import image_bytes

    uploads = [factories.make_upload(user, image=image_bytes()) for _ in range(2)]
    return [upload.file.name for upload in uploads]


PRIVACY_DATA = {"uploads": give_uploads}
EXPORT_QUERIES = {"uploads": 1}
