"""Inbound provincial updates racing on PostgreSQL: the same update twice is applied once, and an
older status arriving together with a newer one never wins (the conditional UPDATE decides)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from enforcement.models import SyncedRecord, SyncUpdate
from enforcement.provincial import CaseUpdate
from enforcement.services.sync import sync_update_apply
from tests.support.race import race

SHANGHAI = ZoneInfo("Asia/Shanghai")


def update(update_id: str, status: str, day: int) -> CaseUpdate:
    return CaseUpdate(
        update_id=update_id,
        external_id="ZJ-RACE-1",
        status=status,
        occurred_at=datetime(2025, 5, day, 10, tzinfo=SHANGHAI),
        note="",
        raw={"update_id": update_id},
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_updates_apply_once_and_the_newest_wins():
    record = SyncedRecord.objects.create(
        kind="report",
        object_id=1,
        external_id="ZJ-RACE-1",
        pushed_version=1,
        platform_status="received",
        platform_status_at=datetime(2025, 5, 5, tzinfo=SHANGHAI),
    )
    for round_ in range(5):
        newer, older = update(f"n{round_}", f"newer{round_}", 10 + round_), update(f"o{round_}", "older", 1)
        same = update(f"n{round_}", f"newer{round_}", 10 + round_)
        results = race(
            [
                lambda u=newer: sync_update_apply("report", u),
                lambda u=older: sync_update_apply("report", u),
                lambda u=same: sync_update_apply("report", u),
            ]
        )
        assert not any(isinstance(r, Exception) for r in results), results
        assert results[1] is False  # the older one never applies
        assert sorted([results[0], results[2]]) == [False, True]  # the same update, once
        record.refresh_from_db()
        assert record.platform_status == f"newer{round_}"
    assert SyncUpdate.objects.filter(applied=True).count() == 5
