"""Two dispense calls at once on PostgreSQL with real threads: exactly one payment and one command."""

import pytest

from health.models import Dispense, Prescription
from linli.api.errors import DomainError
from linli.devices.models import DeviceCommand
from linli.payments.models import PaymentIntent, SandboxInsuranceAccount
from tests import factories
from tests.health import factories as health
from tests.support.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_dispenses_once_when_two_callsrace():
    from health.services.dispensing import prescription_dispense
    from linli.accounts.models import Role

    community = factories.make_community()
    resident = factories.make_resident()
    factories.grant(resident, Role.RESIDENT, community=community)
    SandboxInsuranceAccount.objects.create(user=resident, balance_fen=100_000)
    machine = health.make_drug_machine(community)
    prescription = health.make_prescription(resident, [(health.make_drug(coverage="A", price_fen=1250), 2)])

    def buy():
        return prescription_dispense(
            prescription=Prescription.objects.get(pk=prescription.pk),
            resident=resident,
            device_code=machine.code,
            payment_method="insurance_account",
        )

    results = race([buy, buy])

    won = [r for r in results if isinstance(r, Dispense)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == "already_dispensed"
    assert PaymentIntent.objects.count() == 1
    assert DeviceCommand.objects.filter(kind="dispense").count() == 1
    assert SandboxInsuranceAccount.objects.get(user=resident).balance_fen == 100_000 - 2500


def test_two_prescriptions_never_overdraw_the_insurance_account():
    from health.services.dispensing import prescription_dispense
    from linli.accounts.models import Role

    community = factories.make_community()
    resident = factories.make_resident()
    factories.grant(resident, Role.RESIDENT, community=community)
    SandboxInsuranceAccount.objects.create(user=resident, balance_fen=3000)
    machine = health.make_drug_machine(community)
    prescriptions = [
        health.make_prescription(resident, [(health.make_drug(coverage="A", price_fen=2000), 1)]) for _ in range(2)
    ]

    results = race(
        [
            lambda p=p: prescription_dispense(
                prescription=p, resident=resident, device_code=machine.code, payment_method="insurance_account"
            )
            for p in prescriptions
        ]
    )

    assert sum(isinstance(r, Dispense) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, DomainError)] == ["insurance_balance_insufficient"]
    assert SandboxInsuranceAccount.objects.get(user=resident).balance_fen == 1000
