"""Small factories for tests and the benchmark: plain functions, sensible defaults, keyword overrides."""

import itertools

from linli.accounts.models import Membership, Role, User
from linli.regions.models import Community, Street

_seq = itertools.count(1)


def make_street(**kw) -> Street:
    n = next(_seq)
    defaults = {"name": f"测试街道{n}", "code": f"street-{n}", "city": "衢州市", "district": "柯城区"}
    return Street.objects.create(**{**defaults, **kw})


def make_community(street: Street | None = None, **kw) -> Community:
    n = next(_seq)
    defaults = {"name": f"测试社区{n}", "code": f"community-{n}", "address": f"测试路{n}号"}
    return Community.objects.create(street=street or make_street(), **{**defaults, **kw})


def make_user(**kw) -> User:
    n = next(_seq)
    password = kw.pop("password", None)
    defaults = {"username": f"user{n}", "display_name": f"用户{n}"}
    user = User.objects.create(**{**defaults, **kw})
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def make_resident(**kw) -> User:
    n = next(_seq)
    return make_user(**{"username": f"wx_dev-r{n}", "wechat_openid": f"dev-r{n}", **kw})


def grant(user: User, role: Role, **where) -> Membership:
    return Membership.objects.create(user=user, role=role, **where)


def make_upload(owner: User, *, image: bytes | None = None, **kw):
    """An Upload row; with `image` (bytes) the file is really stored, else only its name is recorded."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from linli.uploads.models import Upload

    n = next(_seq)
    name = f"uploads/test/{n:08d}.jpg"
    if image is not None:
        name = default_storage.save(name, ContentFile(image))
    defaults = {"purpose": Upload.Purpose.WORK_ORDER, "content_type": "image/jpeg", "size": len(image or b"x" * 100)}
    defaults |= {"width": 64, "height": 48}
    return Upload.objects.create(owner=owner, file=name, **{**defaults, **kw})
