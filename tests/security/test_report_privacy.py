"""Issue 16, finding 2: problem reports are private by default.

Someone who is neither the reporter nor the handling team (a follower, a resident offered a
duplicate, anyone reading the Open311 feed) sees the public summary: category, status, the township
and the point rounded to ~100 m, the public timeline. The description (phones and ID numbers masked)
and photos only when the reporter made the report public; the reporter and the exact place never.
"""

import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from enforcement.models import ProblemReport
from enforcement.services import reports as report_services
from linli.notifications.models import Notification
from tests import factories
from tests.enforcement.factories import make_world

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/enforcement/reports/"
PHONE, PHONE_MASKED = "13812345678", "138****5678"
ID_NUMBER, ID_MASKED = "330602195203151234", "330***********1234"
DESCRIPTION = f"楼下河边有人电鱼，联系我老王，电话{PHONE}，身份证{ID_NUMBER}"
LAT, LNG = "30.018123", "120.701987"  # exact: a house; rounded: 30.018, 120.702
ADDRESS = "陶堰街道白塔村 12 号后门"
NOTE = "内部：当事人系惯犯"


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def reporter(db):
    return factories.make_resident(display_name="王阿姨", phone=PHONE)


@pytest.fixture
def neighbour(db):
    return factories.make_resident(display_name="李师傅")


def file_report(as_user, reporter, **extra) -> dict:
    photo = factories.make_upload(reporter)
    body = {
        "category": "illegal_fishing",
        "description": DESCRIPTION,
        "lat": LAT,
        "lng": LNG,
        "address": ADDRESS,
        "photos": [photo.pk],
        **extra,
    }
    response = as_user(reporter).post(REPORTS, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def text(response) -> str:
    return response.content.decode()


def assert_nothing_private(body: str, *, description_too: bool = True):
    """No contact detail, exact place, reporter (王阿姨) or internal note in `body`."""
    for secret in (PHONE, ID_NUMBER, LAT, LNG, "30.018123", "120.701987", ADDRESS, "王阿姨", NOTE):
        assert secret not in body, secret
    if description_too:
        assert "电鱼" not in body


def test_another_resident_following_gets_no_description_photos_exact_place_or_reporter(
    world, reporter, neighbour, as_user
):
    report = file_report(as_user, reporter)
    report_services.report_accept(
        report=ProblemReport.objects.get(pk=report["id"]), actor=world.officer_taoyan, note=NOTE
    )

    followed = as_user(neighbour).post(f"{REPORTS}{report['id']}/follow/")
    assert followed.status_code == 200
    body = followed.json()
    assert body["description"] is None and body["photos"] == []
    assert not {"lat", "lng", "address", "reporter", "contact_name", "contact_phone"} & set(body)
    assert body["area"] == {"street": "陶堰街道", "lat": 30.018, "lng": 120.702}
    assert (body["category"]["code"], body["status"], body["is_mine"]) == ("illegal_fishing", "accepted", False)
    assert [step["action"] for step in body["timeline"]] == ["report", "dispatch", "accept"]
    assert all(set(step) == {"action", "to_status", "created_at"} for step in body["timeline"])
    assert_nothing_private(text(followed))

    # The same summary wherever the follower looks: the report, their list.
    detail = as_user(neighbour).get(f"{REPORTS}{report['id']}/")
    assert detail.json() == body
    listed = as_user(neighbour).get(REPORTS)
    assert [row["id"] for row in listed.json()["results"]] == [report["id"]]
    assert_nothing_private(text(detail))
    assert_nothing_private(text(listed))


def test_the_reporter_still_sees_all_of_it_and_their_choice(world, reporter, neighbour, as_user):
    report = file_report(as_user, reporter)
    as_user(neighbour).post(f"{REPORTS}{report['id']}/follow/")

    mine = as_user(reporter).get(f"{REPORTS}{report['id']}/").json()
    assert (mine["description"], mine["address"], mine["is_mine"]) == (DESCRIPTION, ADDRESS, True)
    assert (Decimal(str(mine["lat"])), Decimal(str(mine["lng"]))) == (Decimal(LAT), Decimal(LNG))
    assert len(mine["photos"]) == 1
    assert mine["is_public"] is False  # private unless they chose otherwise
    [row] = as_user(reporter).get(REPORTS).json()["results"]
    assert (row["description"], row["is_public"]) == (DESCRIPTION, False)


def test_a_public_report_shows_followers_its_description_masked_and_photos_but_never_who_or_where(
    world, reporter, neighbour, as_user
):
    report = file_report(as_user, reporter, is_public=True)
    body = as_user(neighbour).post(f"{REPORTS}{report['id']}/follow/").json()
    assert body["description"] == f"楼下河边有人电鱼，联系我老王，电话{PHONE_MASKED}，身份证{ID_MASKED}"
    assert len(body["photos"]) == 1 and body["is_public"] is True
    assert body["area"] == {"street": "陶堰街道", "lat": 30.018, "lng": 120.702}
    serialized = json.dumps(body, ensure_ascii=False)
    assert PHONE not in serialized and ID_NUMBER not in serialized
    assert ADDRESS not in serialized and "30.018123" not in serialized and "reporter" not in body


def test_the_reporter_makes_a_report_public_later_and_nobody_else_can(world, reporter, neighbour, as_user):
    report = file_report(as_user, reporter)
    url = f"{REPORTS}{report['id']}/"
    as_user(neighbour).post(f"{url}follow/")
    assert as_user(neighbour).patch(url, {"is_public": True}, format="json").status_code == 404
    assert as_user(neighbour).get(url).json()["description"] is None

    made_public = as_user(reporter).patch(url, {"is_public": True}, format="json")
    assert made_public.status_code == 200 and made_public.json()["is_public"] is True
    assert PHONE_MASKED in as_user(neighbour).get(url).json()["description"]

    as_user(reporter).patch(url, {"is_public": False}, format="json")
    assert as_user(neighbour).get(url).json()["description"] is None


def test_a_resident_offered_a_duplicate_does_not_read_someone_elses_private_description(
    world, reporter, neighbour, as_user
):
    file_report(as_user, reporter)
    nearby = {"category": "illegal_fishing", "description": "也看到了", "lat": "30.018200", "lng": LNG}
    offered = as_user(neighbour).post(REPORTS, nearby, format="json")
    assert offered.status_code == 409
    [duplicate] = offered.json()["duplicates"]
    assert duplicate["description"] is None
    assert_nothing_private(text(offered))


def test_followers_are_told_the_feedback_with_identifiers_masked(world, reporter, neighbour, as_user):
    report = file_report(as_user, reporter)
    as_user(neighbour).post(f"{REPORTS}{report['id']}/follow/")
    officer, loop = world.officer_taoyan, ProblemReport.objects.get(pk=report["id"])
    report_services.report_accept(report=loop, actor=officer)
    report_services.report_handle(report=loop, actor=officer)
    report_services.report_outcome(report=loop, actor=officer, outcome="persuaded")
    report_services.report_feedback(report=loop, actor=officer, feedback=f"已劝导，有疑问请致电{PHONE}")

    told = Notification.objects.get(recipient=neighbour, kind="enforcement.feedback")
    assert PHONE not in told.body and PHONE_MASKED in told.body
    assert PHONE in Notification.objects.get(recipient=reporter, kind="enforcement.feedback").body
    followed = as_user(neighbour).get(f"{REPORTS}{report['id']}/").json()
    assert followed["feedback"] == f"已劝导，有疑问请致电{PHONE_MASKED}"


def test_open311_list_and_detail_hide_private_descriptions_and_never_show_phones_or_id_numbers(
    world, reporter, as_user, api
):
    private = file_report(as_user, reporter)
    public = file_report(as_user, reporter, is_public=True, ignore_duplicates=True)

    listed = api.get("/open311/v2/requests.json")
    assert listed.status_code == 200
    rows = {int(row["service_request_id"]): row for row in listed.json()}
    assert rows[private["id"]]["description"] == "" and rows[private["id"]]["media_url"] == ""
    assert rows[public["id"]]["description"] == f"楼下河边有人电鱼，联系我老王，电话{PHONE_MASKED}，身份证{ID_MASKED}"
    assert rows[public["id"]]["media_url"] != ""
    for row in rows.values():
        assert (row["lat"], row["long"], row["address"]) == (30.018, 120.702, "陶堰街道")
    for url in (
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{private['id']}.json",
        f"/open311/v2/requests/{private['id']}.xml",
        f"/open311/v2/requests/{public['id']}.json",
        f"/open311/v2/requests/{public['id']}.xml",
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        assert_nothing_private(text(response), description_too=False)

    [private_detail] = api.get(f"/open311/v2/requests/{private['id']}.json").json()
    assert private_detail["description"] == ""
    root = ElementTree.fromstring(api.get(f"/open311/v2/requests/{private['id']}.xml").content)
    assert root.findtext("request/description") == "" and root.findtext("request/lat") == "30.018"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("电话13812345678", "电话138****5678"),
        ("Tel: 138-1234-5678 或 +86 139 1234 5678", "Tel: 138****5678 或 139****5678"),
        ("身份证33060219520315123X，号码330602520315123", "身份证330***********123X，号码330********5123"),
        ("工单号 2025061213812345678 不是电话", "工单号 2025061213812345678 不是电话"),
        ("", ""),
        (None, None),
    ],
)
def test_free_text_masks_mobiles_and_id_numbers_only(written, shown):
    from linli.lib.masking import mask_free_text  # new with this finding

    assert mask_free_text(written) == shown
