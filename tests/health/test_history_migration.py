"""Migration 0003 renames ConsultationEvent / InsuranceApplicationEvent to the histories without losing
a row: `at` becomes `created_at`, the actions and statuses stay as they were written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import ConsultationHistory, InsuranceApplicationHistory
from health.services import insurance
from tests.health import factories as health
from tests.support.migrations import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("health", "0002_prescription_dispensing")]
AFTER = [("health", "0003_history")]


def test_it_keeps_the_history_rows_and_their_time(resident, community, staff, to_latest):
    from linli.accounts.models import Role
    from tests import factories

    factories.grant(resident, Role.RESIDENT, community=community)
    consultation = health.make_consultation(resident)
    application = insurance.application_create(applicant=resident, type="reimbursement", details="门诊票据")
    at = timezone.now() - timedelta(days=2)
    try:
        old = migrate(BEFORE)
        accepted = old.get_model("health", "ConsultationEvent").objects.create(
            consultation_id=consultation.pk, action="accept", from_status="waiting", to_status="in_progress", at=at
        )
        approved = old.get_model("health", "InsuranceApplicationEvent").objects.create(
            application_id=application.pk,
            actor_id=staff.pk,
            action="approve",
            from_status="submitted",
            to_status="approved",
            note="材料齐全",
            at=at,
        )
    finally:
        migrate(AFTER)

    row = ConsultationHistory.objects.get(pk=accepted.pk)
    assert (row.consultation_id, row.action, row.from_status, row.to_status, row.created_at) == (
        consultation.pk,
        "accept",
        "waiting",
        "in_progress",
        at,
    )
    assert row.get_action_display() == "接诊"
    row = InsuranceApplicationHistory.objects.get(pk=approved.pk)
    assert (row.application_id, row.actor_id, row.action, row.note, row.created_at) == (
        application.pk,
        staff.pk,
        "approve",
        "材料齐全",
        at,
    )
    assert [h.action for h in application.history.all()] == ["approve", "submit"]
