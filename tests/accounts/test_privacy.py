"""PIPL: a resident exports all their data and deletes (anonymises) their account."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from linli.accounts import privacy
from linli.accounts.models import Membership, Role, User
from linli.accounts.tokens import RefreshToken
from linli.uploads.models import Upload
from tests import factories
from tests.quality.query_budget import count_queries, format_queries
from tests.quality.registry import registry
from tests.uploads.images import image_bytes

EXPORT, DELETE = "/api/v1/me/export/", "/api/v1/me/delete/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def person(community):
    user = factories.make_resident(
        display_name="李秀英",
        phone="13912345678",
        birth_date=date(1958, 6, 1),
        email="li@example.cn",
        wechat_unionid="union-li",
    )
    factories.grant(user, Role.RESIDENT, community=community)
    return user


def identity_of(user: User) -> list[str]:
    return [user.username, user.display_name, user.phone, user.wechat_openid, user.wechat_unionid, user.email]


def has_content(value) -> bool:
    """Some leaf of the export holds data (not only empty lists and dicts)."""
    if isinstance(value, dict):
        return any(has_content(v) for v in value.values())
    if isinstance(value, list):
        return any(has_content(v) for v in value)
    return value not in (None, "", False)


def app_labels_pointing_at_users() -> set[str]:
    user_model = get_user_model()
    labels = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                labels.add(model._meta.app_label)
    return labels


def test_every_app_that_points_at_users_has_a_privacy_handler():
    missing = sorted(app_labels_pointing_at_users() - privacy.registered_labels())
    assert not missing, (
        f"apps {missing} keep rows that point at users but have no privacy handler: "
        "write export(user) and anonymise(user) in <app>/privacy.py and register them from the app's "
        "AppConfig.ready() (see linli/accounts/privacy.py)"
    )


def test_every_privacy_handler_is_exercised_by_these_tests():
    labels = privacy.registered_labels()
    missing = sorted(labels - set(registry().privacy_data)) + sorted(labels - set(registry().export_queries))
    assert not missing, f"add PRIVACY_DATA and EXPORT_QUERIES for {sorted(set(missing))} in tests/<app>/budgets.py"


@pytest.mark.parametrize("label", sorted(privacy.registered_labels()))
def test_each_app_exports_the_users_data_and_forgets_it(label, person, django_capture_on_commit_callbacks):
    handler = next(h for h in privacy.handlers() if h.label == label)
    planted = registry().privacy_data[label](person)
    identity = identity_of(person)

    with count_queries() as queries:
        exported = handler.export(person)
    assert has_content(exported), f"{label} exported nothing of the data it was given"
    assert len(queries) == registry().export_queries[label], f"{label} export:\n{format_queries(queries)}"
    before = json.dumps(exported, ensure_ascii=False)
    for marker in planted:
        assert marker in before, f"{label} does not export {marker!r}"

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_user(user=person)
    person.refresh_from_db()
    after = json.dumps(privacy.export_user_data(person), ensure_ascii=False)
    for value in [*identity, *planted]:
        assert value not in after, f"{value!r} is still there after deletion"


def test_the_export_has_the_profile_roles_and_every_app(as_user, person, community):
    factories.make_upload(person)
    response = as_user(person).get(EXPORT)
    assert response.status_code == 200
    body = response.json()
    assert next(iter(body)) == "user"
    assert set(body) == {h.key for h in privacy.handlers()}
    user = body["user"]
    assert (user["display_name"], user["phone"], user["birth_date"]) == ("李秀英", "13912345678", "1958-06-01")
    assert user["wechat_openid"] == person.wechat_openid
    assert [(r["role"], r["community"]["name"]) for r in user["roles"]] == [("resident", community.name)]
    assert len(body["uploads"]["files"]) == 1


def test_the_export_needs_a_login(api):
    assert api.get(EXPORT).status_code == 401


@pytest.mark.parametrize("payload", [{}, {"confirm": False}, {"confirm": "yes please"}])
def test_deleting_needs_an_explicit_confirmation(as_user, person, payload):
    response = as_user(person).post(DELETE, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["confirm"]
    person.refresh_from_db()
    assert person.is_active and person.display_name == "李秀英"


def test_deleting_removes_the_identity_roles_and_files(as_user, person, django_capture_on_commit_callbacks):
    upload = factories.make_upload(person, image=image_bytes())
    person.avatar = upload
    person.save(update_fields=["avatar"])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(person).post(DELETE, {"confirm": True}, format="json")
    assert response.status_code == 204

    person.refresh_from_db()
    assert person.username == f"deleted-{person.pk}"
    assert (person.display_name, person.phone, person.wechat_openid, person.wechat_unionid) == ("", None, None, "")
    assert (person.avatar_id, person.birth_date, person.email) == (None, None, "")
    assert not person.is_active and not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    assert not Upload.objects.filter(owner=person).exists()
    assert not default_storage.exists(upload.file.name)


def test_every_token_stops_working(api, person):
    refresh = RefreshToken.for_user(person)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {refresh.access_token}")
    assert api.post(DELETE, {"confirm": True}, format="json").status_code == 204

    assert api.get("/api/v1/me/").status_code == 401
    api.credentials()
    response = api.post("/api/v1/auth/token/refresh/", {"refresh": str(refresh)}, format="json")
    assert response.status_code == 401


def test_logging_in_again_with_wechat_starts_a_new_account(api, as_user, person):
    code = person.wechat_openid  # sandbox: the code dev-<name> is the openid
    as_user(person).post(DELETE, {"confirm": True}, format="json")
    body = api.post("/api/v1/auth/wechat/login/", {"code": code}, format="json").json()
    assert body["created"] is True
    assert body["user"]["id"] != person.pk
    assert body["user"]["roles"] == []


def test_staff_cannot_log_in_with_their_password_afterwards(api, as_user, staff):
    assert as_user(staff).post(DELETE, {"confirm": True}, format="json").status_code == 204
    response = api.post("/api/v1/auth/token/", {"username": "staff_here", "password": "demo12345"}, format="json")
    assert response.status_code == 401


def test_a_refresh_token_of_a_user_removed_from_the_database_is_401_not_500(api, person):
    refresh = str(RefreshToken.for_user(person))
    person.delete()
    response = api.post("/api/v1/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_failing_anonymiser_leaves_everything_as_it_was(as_user, person, monkeypatch):
    def broken(user):
        raise RuntimeError("anonymiser crashed")

    handlers = privacy.handlers()
    failing = privacy.PrivacyHandler(label="zz_broken", export=lambda u: {}, anonymise=broken, key="zz_broken")
    # First in the list, so it runs last: after the uploads and the roles are already gone.
    monkeypatch.setattr(privacy, "handlers", lambda: [failing, *handlers])
    factories.make_upload(person)
    with pytest.raises(RuntimeError):
        privacy.erase_user(user=person)
    person.refresh_from_db()
    assert person.is_active and person.display_name == "李秀英"
    assert Membership.objects.filter(user=person).count() == 1
    assert Upload.objects.filter(owner=person).count() == 1


def test_anonymisers_run_scenario_apps_first(monkeypatch, person):
    order = []
    handlers = [
        privacy.PrivacyHandler(label=name, export=lambda u: {}, anonymise=lambda u, n=name: order.append(n), key=name)
        for name in ("platform", "scenario")
    ]
    monkeypatch.setattr(privacy, "handlers", lambda: handlers)
    privacy.erase_user(user=person)
    assert order == ["scenario", "platform"]
