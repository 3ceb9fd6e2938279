"""Report, outcome and finding photos are the poster's own uploads (ids in, photo objects out, in
order); a link from outside (Open311 media_url, a camera snapshot) is only ever kept as text."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from enforcement.models import ProblemReport
from enforcement.services.open311 import open311_client_issue
from linli.accounts import privacy
from tests import factories
from tests.enforcement.factories import make_target

pytestmark = pytest.mark.django_db

REPORTS, STAFF = "/api/v1/enforcement/reports/", "/api/v1/staff/enforcement/reports/"
INSPECTIONS = "/api/v1/staff/enforcement/inspections/"
NOT_YOURS = "图片不存在或不属于你"


def report(client, **extra):
    body = {"category": "illegal_fishing", "description": "岸边有人用地笼捕鱼", "lat": "30.018100", "lng": "120.701200"}
    return client.post(REPORTS, {**body, **extra}, format="json")


def test_a_resident_reports_with_their_own_uploads_in_their_order(world, reporter, as_user):
    first, second = factories.make_upload(reporter), factories.make_upload(reporter)
    response = report(as_user(reporter), photos=[second.pk, first.pk])
    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert [p["id"] for p in photos] == [second.pk, first.pk]
    assert set(photos[0]) == {"id", "url", "width", "height"}
    listed = as_user(reporter).get(REPORTS).json()["results"]
    assert [p["id"] for p in listed[0]["photos"]] == [second.pk, first.pk]


def test_it_refuses_someone_elses_upload_and_a_foreign_url(world, reporter, neighbour, as_user):
    theirs = factories.make_upload(neighbour)
    for photos in ([theirs.pk], [theirs.pk + 1000]):
        refused = report(as_user(reporter), photos=photos)
        assert refused.status_code == 400
        assert refused.json()["fields"] == {"photos": [NOT_YOURS]}
    url = report(as_user(reporter), photos=["http://169.254.169.254/latest/meta-data/"])
    assert url.status_code == 400 and list(url.json()["fields"]) == ["photos"]
    assert not ProblemReport.objects.exists()


def test_the_officers_after_photos_follow_the_residents_and_only_their_own(world, reporter, as_user):
    officer = world.officer_taoyan
    before = factories.make_upload(reporter)
    report_id = report(as_user(reporter), photos=[before.pk]).json()["id"]
    detail = f"{STAFF}{report_id}/"
    as_user(officer).post(f"{detail}accept/", {}, format="json")
    as_user(officer).post(f"{detail}handle/", {}, format="json")
    refused = as_user(officer).post(
        f"{detail}outcome/", {"outcome": "persuaded", "photos": [factories.make_upload(reporter).pk]}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["fields"] == {"photos": [NOT_YOURS]}
    after = factories.make_upload(officer)
    done = as_user(officer).post(f"{detail}outcome/", {"outcome": "persuaded", "photos": [after.pk]}, format="json")
    assert done.status_code == 200, done.content
    assert [p["id"] for p in done.json()["photos"]] == [before.pk, after.pk]
    assert done.json()["external_media_url"] == ""


def test_a_findings_photos_are_the_officers_and_go_with_it_into_the_loop(world, as_user):
    officer = world.officer_taoyan
    shop = make_target(world.taoyan, name="白塔村便民超市")
    planned = as_user(officer).post(
        INSPECTIONS,
        {
            "target": shop.pk,
            "matters": [world.fishing.pk],
            "planned_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    url = f"{INSPECTIONS}{planned.json()['id']}/findings/"
    refused = as_user(officer).post(
        url,
        {"matter": world.fishing.pk, "description": "地笼网", "photos": ["https://img.example.com/a.jpg"]},
        format="json",
    )
    assert refused.status_code == 400
    one, two = factories.make_upload(officer), factories.make_upload(officer)
    finding = as_user(officer).post(
        url, {"matter": world.fishing.pk, "description": "地笼网", "photos": [two.pk, one.pk]}, format="json"
    )
    assert finding.status_code == 201, finding.content
    assert [p["id"] for p in finding.json()["photos"]] == [two.pk, one.pk]
    opened = as_user(officer).post(f"/api/v1/staff/enforcement/findings/{finding.json()['id']}/report/")
    assert opened.status_code == 201, opened.content
    assert [p["id"] for p in opened.json()["photos"]] == [two.pk, one.pk]


def test_open311_media_url_is_our_uploads_url_or_the_clients_link_kept_as_text(world, reporter, as_user):
    ours = factories.make_upload(reporter)
    mine = report(as_user(reporter), photos=[ours.pk], is_public=True).json()["id"]  # private: no media_url
    api = APIClient()
    [one] = api.get(f"/open311/v2/requests/{mine}.json").json()
    assert one["media_url"] == f"http://testserver/media/{ours.file.name}"

    open311_client_issue(name="随手拍 App", raw_key="photo-key")
    posted = api.post(
        "/open311/v2/requests.json",
        {
            "api_key": "photo-key",
            "service_code": "illegal_fishing",
            "address_string": "陶堰街道白塔村",
            "media_url": "http://169.254.169.254/latest/meta-data/",
        },
        format="multipart",
    )
    assert posted.status_code == 201, posted.content
    received = ProblemReport.objects.get(pk=int(posted.json()[0]["service_request_id"]))
    assert received.external_media_url == "http://169.254.169.254/latest/meta-data/"
    assert not received.photos.exists()
    staff_view = as_user(world.dispatcher).get(f"{STAFF}{received.pk}/").json()
    assert (staff_view["photos"], staff_view["external_media_url"]) == ([], received.external_media_url)


def test_a_deleted_reporters_photos_leave_the_report_and_the_export_listed_them(world, reporter, as_user):
    upload = factories.make_upload(reporter)
    report_id = report(as_user(reporter), photos=[upload.pk]).json()["id"]
    assert privacy.export_user_data(reporter)["enforcement"]["reports"][0]["photos"] == [upload.pk]

    privacy.erase_user(user=reporter)
    assert not ProblemReport.objects.get(pk=report_id).photos.exists()
