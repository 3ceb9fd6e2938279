from datetime import date

import pytest

from health.models import Condition, HealthCondition, HealthProfile, PolicyArticle
from linli.accounts.models import Role
from linli.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/health/policies/"
STAFF_URL = "/api/v1/staff/health/policies/"


def _resident(community, *, born, conditions=()):
    user = factories.make_resident(birth_date=born)
    factories.grant(user, Role.RESIDENT, community=community)
    profile = HealthProfile.objects.create(user=user)
    for condition in conditions:
        HealthCondition.objects.create(profile=profile, condition=condition)
    return user


def _publish(client, community, **audience):
    body = {"title": "高血压患者门诊慢特病待遇", "body": "符合条件的参保人……", "community": community.pk, **audience}
    created = client.post(STAFF_URL, body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft"
    published = client.post(f"{STAFF_URL}{created.json()['id']}/publish/")
    assert published.status_code == 200
    return published.json()["id"]


def test_it_pushes_a_published_article_to_its_audience_only(
    as_user, staff, community, other_community, django_capture_on_commit_callbacks
):
    elder_hypertensive = _resident(community, born=date(1950, 1, 1), conditions=[Condition.HYPERTENSION])
    young_hypertensive = _resident(community, born=date(1995, 1, 1), conditions=[Condition.HYPERTENSION])
    elder_healthy = _resident(community, born=date(1950, 1, 1))
    elsewhere = _resident(other_community, born=date(1950, 1, 1), conditions=[Condition.HYPERTENSION])

    with django_capture_on_commit_callbacks(execute=True):
        article_id = _publish(as_user(staff), community, min_age=60, condition="hypertension")

    pushed = set(Notification.objects.filter(kind="health.policy.published").values_list("recipient", flat=True))
    assert pushed == {elder_hypertensive.pk}
    for user in (elder_hypertensive, young_hypertensive, elder_healthy, elsewhere):
        listed = [a["id"] for a in as_user(user).get(URL).json()["results"]]
        assert listed == ([article_id] if user == elder_hypertensive else [])
    assert as_user(young_hypertensive).get(f"{URL}{article_id}/").status_code == 404
    assert PolicyArticle.objects.get(pk=article_id).pushed_at is not None


def test_it_pushes_once_even_if_the_job_runs_again(as_user, staff, community, django_capture_on_commit_callbacks):
    from health.tasks import push_policy

    reader = _resident(community, born=date(1960, 5, 5))
    with django_capture_on_commit_callbacks(execute=True):
        article_id = _publish(as_user(staff), community)
    assert push_policy(article_id) == 0
    assert Notification.objects.filter(recipient=reader, kind="health.policy.published").count() == 1


def test_it_counts_each_reader_once(as_user, staff, community):
    first = _resident(community, born=date(1950, 1, 1))
    second = _resident(community, born=date(1980, 1, 1))
    article_id = _publish(as_user(staff), community)
    assert as_user(first).get(URL).json()["results"][0]["is_read"] is False
    detail = as_user(first).get(f"{URL}{article_id}/").json()
    assert detail["body"].startswith("符合条件")
    assert detail["is_read"] is True
    as_user(first).get(f"{URL}{article_id}/")
    as_user(second).get(f"{URL}{article_id}/")
    assert as_user(first).get(URL).json()["results"][0]["is_read"] is True
    assert as_user(staff).get(f"{STAFF_URL}{article_id}/").json()["read_count"] == 2


def test_it_hides_drafts_from_residents(as_user, staff, community):
    reader = _resident(community, born=date(1950, 1, 1))
    as_user(staff).post(STAFF_URL, {"title": "草稿", "body": "未发布", "community": community.pk})
    assert as_user(reader).get(URL).json()["count"] == 0


def test_it_lets_staff_write_only_for_their_communities(as_user, staff, other_staff, community, other_community):
    response = as_user(staff).post(STAFF_URL, {"title": "x", "body": "y", "community": other_community.pk})
    assert response.status_code == 400
    article_id = _publish(as_user(staff), community)
    assert as_user(other_staff).get(f"{STAFF_URL}{article_id}/").status_code == 404
    assert as_user(staff).post(f"{STAFF_URL}{article_id}/publish/").status_code == 409


def test_it_refuses_an_inverted_age_range(as_user, staff, community):
    body = {"title": "x", "body": "y", "community": community.pk, "min_age": 80, "max_age": 60}
    assert as_user(staff).post(STAFF_URL, body).status_code == 400
