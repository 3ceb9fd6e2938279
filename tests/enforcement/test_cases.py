"""Cases: per-year numbers decided by the database, the state machine, the provincial push retried
after a failure (against a real local HTTP server), and status updates pulled back once."""

import hashlib
import hmac
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from enforcement import provincial
from enforcement.models import Case, PlatformCursor, PlatformUpdate
from enforcement.services import cases as case_services
from enforcement.tasks import pull_platform_updates, push_case
from tests.enforcement.factories import make_world
from tests.support.stub_server import StubServer

pytestmark = pytest.mark.django_db

CASES = "/api/v1/staff/enforcement/cases/"
SECRET = "province-shared-secret"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def file(world, **kw):
    return case_services.case_file(
        actor=world.officer_market,
        matter=world.food,
        party_name="白塔村小卖部",
        facts="经营过期乳制品",
        **kw,
    )


def test_numbers_count_per_year(world):
    with time_machine.travel(datetime(2024, 12, 31, 23, 0, tzinfo=SHANGHAI), tick=False):
        first, second = file(world), file(world)
    with time_machine.travel(datetime(2025, 1, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        third = file(world)
    assert [(c.year, c.seq) for c in (first, second, third)] == [(2024, 1), (2024, 2), (2025, 1)]
    assert third.number == "越综执立〔2025〕00001号"


def test_the_case_moves_through_its_states_by_its_team_only(world, as_user):
    created = as_user(world.officer_market).post(
        CASES, {"matter": world.food.pk, "party_name": "某超市", "facts": "过期食品", "team": world.market.pk}
    )
    assert created.status_code == 201, created.content
    url = f"{CASES}{created.json()['id']}/"
    assert as_user(world.officer_taoyan).get(url).status_code == 404
    market = as_user(world.officer_market)
    assert market.post(f"{url}decide/", {"decision": "罚款"}).json()["code"] == "invalid_transition"
    assert market.post(f"{url}investigate/", {}).status_code == 200
    decided = market.post(f"{url}decide/", {"decision": "没收过期食品，罚款五千元", "penalty_fen": 500_000})
    assert decided.json()["penalty_fen"] == 500_000
    closed = market.post(f"{url}close/", {})
    assert [e["action"] for e in closed.json()["history"]] == ["file", "investigate", "decide", "close"]


def test_an_officer_cannot_file_for_another_team(world, as_user):
    response = as_user(world.officer_taoyan).post(
        CASES, {"matter": world.food.pk, "party_name": "某超市", "facts": "过期食品", "team": world.market.pk}
    )
    assert response.status_code == 403


@pytest.fixture
def platform_stub(settings):
    with StubServer() as stub:
        settings.ENFORCEMENT_PLATFORM_URL = stub.url + "/api"
        settings.ENFORCEMENT_PLATFORM_SECRET = SECRET
        settings.ENFORCEMENT_PLATFORM_TIMEOUT_SECONDS = 2
        yield stub


def signature_ok(request) -> bool:
    timestamp = request.headers["X-Linli-Timestamp"]
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
    return request.headers["X-Linli-Signature"] == f"sha256={expected}"


def test_the_push_is_retried_after_a_failure_and_lands_once(world, platform_stub, django_capture_on_commit_callbacks):
    answers = iter([(503, {"message": "busy"}), (201, {"external_id": "ZJ-2025-000731"})])
    platform_stub.route("POST", "/api/cases", lambda request: next(answers))
    with django_capture_on_commit_callbacks(execute=True):
        case = file(world)
    case.refresh_from_db()
    assert (case.push_status, case.external_id, case.push_attempts) == ("pushed", "ZJ-2025-000731", 2)
    posts = [r for r in platform_stub.requests if r.method == "POST"]
    assert len(posts) == 2
    assert all(signature_ok(r) for r in posts)
    assert {r.headers["Idempotency-Key"] for r in posts} == {f"linli-case-{case.year}-{case.seq:05d}"}
    assert posts[-1].json["case_number"] == case.number and posts[-1].json["matter_code"] == "SC-001"
    assert [e.action for e in case.history.all()] == ["file", "pushed"]

    # Pushing again (a duplicate task) does not call the platform.
    assert push_case.delay(case.pk).get() is False
    assert len([r for r in platform_stub.requests if r.method == "POST"]) == 2


def test_a_push_that_keeps_failing_is_marked_failed_and_can_be_pushed_again(
    world, platform_stub, as_user, django_capture_on_commit_callbacks
):
    platform_stub.route("POST", "/api/cases", lambda request: (502, {"message": "down"}))
    with django_capture_on_commit_callbacks(execute=True):
        case = file(world)
    case.refresh_from_db()
    assert (case.push_status, case.external_id) == ("failed", None)
    assert case.push_attempts == push_case.max_retries + 1 and "502" in case.push_error

    platform_stub.route("POST", "/api/cases", lambda request: (200, {"external_id": "ZJ-9"}))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(world.officer_market).post(f"{CASES}{case.pk}/push/")
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.push_status, case.external_id) == ("pushed", "ZJ-9")
    assert as_user(world.officer_market).post(f"{CASES}{case.pk}/push/").json()["code"] == "already_pushed"


def test_a_refused_push_is_not_retried(world, platform_stub, django_capture_on_commit_callbacks):
    platform_stub.route("POST", "/api/cases", lambda request: (422, {"message": "缺少当事人证件号"}))
    with django_capture_on_commit_callbacks(execute=True):
        case = file(world)
    case.refresh_from_db()
    assert (case.push_status, case.push_attempts) == ("failed", 1)
    assert "缺少当事人证件号" in case.push_error


def test_without_a_url_the_sandbox_receiver_records_the_push(world, settings, django_capture_on_commit_callbacks):
    settings.ENFORCEMENT_PLATFORM_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        case = file(world)
    case.refresh_from_db()
    from enforcement.models import SandboxPush

    push = SandboxPush.objects.get()
    assert (push.external_id, push.body["case_number"]) == (case.external_id, case.number)


def update(update_id, external_id, status, at):
    return {"update_id": update_id, "external_id": external_id, "status": status, "occurred_at": at, "note": ""}


def test_status_updates_are_applied_once_and_never_older_over_newer(world, platform_stub):
    case = file(world)
    Case.objects.filter(pk=case.pk).update(external_id="ZJ-1", push_status="pushed")
    pages = {
        "": {
            "updates": [
                update("u1", "ZJ-1", "accepted", "2025-05-01T10:00:00+08:00"),
                update("u3", "ZJ-1", "reviewed", "2025-05-03T10:00:00+08:00"),
                update("u2", "ZJ-1", "accepted_late", "2025-05-02T10:00:00+08:00"),  # older, arrives later
                update("u9", "ZJ-unknown", "accepted", "2025-05-03T10:00:00+08:00"),
            ],
            "cursor": "c1",
        },
        "c1": {"updates": [update("u3", "ZJ-1", "reviewed", "2025-05-03T10:00:00+08:00")], "cursor": "c2"},
    }
    platform_stub.route("GET", "/api/cases/updates", lambda r: (200, pages[(r.query.get("since") or [""])[0]]))
    assert pull_platform_updates.delay().get() == 2
    case.refresh_from_db()
    assert case.platform_status == "reviewed"
    assert PlatformCursor.objects.get().cursor == "c1"
    assert pull_platform_updates.delay().get() == 0  # u3 again: already applied
    assert PlatformCursor.objects.get().cursor == "c2"
    assert dict(PlatformUpdate.objects.values_list("update_id", "applied")) == {
        "u1": True,
        "u3": True,
        "u2": False,
        "u9": False,
    }
    assert all(signature_ok(r) for r in platform_stub.requests)
    assert [e.action for e in case.history.all()] == ["file", "platform_update", "platform_update"]


def test_a_broken_updates_feed_changes_nothing(world, platform_stub):
    platform_stub.route("GET", "/api/cases/updates", lambda r: (200, {"updates": [{"update_id": "x"}]}))
    assert pull_platform_updates.delay().get() == 0
    platform_stub.route("GET", "/api/cases/updates", lambda r: (500, {}))
    assert pull_platform_updates.delay().get() == 0
    assert PlatformUpdate.objects.count() == 0 and PlatformCursor.objects.get().cursor == ""


def test_the_client_signs_what_it_sends():
    body = provincial.encode({"b": 1, "a": "乙"})
    assert body == '{"a":"乙","b":1}'.encode()
    assert (
        provincial.sign("k", "1700000000", body)
        == "sha256=" + hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_distinct_consecutive_numbers():
    world = make_world()
    threads, barrier, numbers, errors = 6, threading.Barrier(6), [], []

    def worker():
        try:
            barrier.wait()
            numbers.append(file(world).seq)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, threads + 1))
    assert Case.objects.values("number").distinct().count() == threads


def test_a_platform_url_without_a_secret_fails_the_system_check(settings):
    from enforcement.checks import provincial_secret_configured

    settings.ENFORCEMENT_PLATFORM_URL, settings.ENFORCEMENT_PLATFORM_SECRET = "https://zj.example.gov.cn/api", ""
    assert [e.id for e in provincial_secret_configured(None)] == ["enforcement.E001"]
    settings.ENFORCEMENT_PLATFORM_SECRET = "s3cret"
    assert provincial_secret_configured(None) == []
