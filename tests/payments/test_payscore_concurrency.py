"""Real concurrency on PostgreSQL: WeChat Pay's USER_PAID callback arriving while our completion of the
same service order has not committed yet waits for it instead of finding no charge."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from linli.payments import services
from linli.payments.models import PaymentContract, PaymentIntent
from tests import factories
from tests.support.payscore import SERVICEORDER, FakePayScore, configure, payscore_callback
from tests.support.stub_server import StubServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_user_paid_during_the_completion_is_applied_once_it_commits(keys, settings):
    with StubServer() as stub:
        configure(keys, settings, stub.url)
        payscore = FakePayScore(keys, stub)
        payer = factories.make_resident(wechat_openid="o-race")
        PaymentContract.objects.create(user=payer, provider="wechat_pay", contract_id="LA-race")
        service_order = services.service_order_create(
            payer=payer, purpose="tests.cabinet", reference="1", description="无人果蔬柜", risk_amount_fen=20000
        )
        in_flight, release = threading.Event(), threading.Event()

        def slow_complete(request):
            answer = payscore.complete(request)
            in_flight.set()  # WeChat Pay has completed and collects at once…
            release.wait(10)  # …while our transaction is still open
            return answer

        stub.route("POST", f"{SERVICEORDER}/{service_order.out_order_no}/complete", slow_complete)
        results = {}

        def complete():
            try:
                results["intent"] = services.service_order_complete(service_order=service_order, amount_fen=990)
            finally:
                connection.close()

        def callback():
            try:
                body, headers = payscore_callback(
                    keys, "PAYSCORE.USER_PAID", payscore.collect(service_order.out_order_no)
                )
                extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
                results["callback"] = APIClient().generic(
                    "POST", "/api/v1/payments/wechat/payscore-notify/", body, content_type="application/json", **extra
                )
            finally:
                connection.close()

        completing = threading.Thread(target=complete)
        completing.start()
        assert in_flight.wait(10)
        notifying = threading.Thread(target=callback)
        notifying.start()
        time.sleep(0.5)
        assert notifying.is_alive()  # waiting on the service order's row lock
        release.set()
        completing.join(10)
        notifying.join(10)

    assert results["callback"].status_code == 204, results["callback"].content
    intent = PaymentIntent.objects.get(pk=results["intent"].pk)
    assert (intent.status, intent.amount_fen) == ("succeeded", 990)
