"""WeChat Pay 医保自费混合收款 against the local stub server: signed requests, and a timed-out creation
is queried by out_trade_no before it is sent again, so a retry never makes a second order."""

import time

import pytest

from linli.payments import services
from linli.payments.models import PaymentIntent
from linli.payments.providers import get_provider
from linli.payments.providers.base import TransactionState
from tests.support.stub_server import StubServer
from tests.support.wechat_pay import MCH_ID, parse_authorization, rsa_verify

pytestmark = pytest.mark.django_db
CREATE, QUERY = "/v3/med-ins/orders", "/v3/med-ins/orders/out-trade-no/{}"


class MedInsStub:
    """WeChat's side: the orders it has created, by out_trade_no."""

    def __init__(self, stub, keys):
        self.stub, self.keys, self.orders = stub, keys, {}
        self.delay_first_create = 0.0
        self.lose_first_create = False
        stub.route("POST", "/v3/pay/transactions/jsapi", lambda req: keys.answer(200, {"prepay_id": "wx-cash-1"}))
        stub.route("POST", CREATE, self.create)

    def create(self, request):
        first = not any(r.path == CREATE for r in self.stub.requests[:-1])
        order = {
            "mix_trade_no": f"mix-{len(self.orders) + 1}",
            "mix_pay_status": "MIX_PAY_CREATED",
            "self_pay_status": "SELF_PAY_CREATED" if request.json["wechat_pay_cash_fee"] else "NO_SELF_PAY",
            "med_ins_pay_status": "MED_INS_PAY_CREATED",
            "out_trade_no": request.json["out_trade_no"],
            "wechat_pay_cash_fee": request.json["wechat_pay_cash_fee"],
        }
        self.stub.route("GET", QUERY.format(order["out_trade_no"]), self.query)
        if not (first and self.lose_first_create):
            self.orders.setdefault(order["out_trade_no"], order)
        if first and self.delay_first_create:
            time.sleep(self.delay_first_create)  # WeChat has (or has not) made it, the answer comes too late
        return self.keys.answer(200, self.orders.get(order["out_trade_no"], order))

    def query(self, request):
        out_trade_no = request.path.rsplit("/", 1)[-1]
        order = self.orders.get(out_trade_no)
        if order is None:
            return self.keys.answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
        return self.keys.answer(200, order)

    def calls(self, method, path):
        return [r for r in self.stub.requests if r.method == method and r.path == path]


@pytest.fixture
def med_ins(keys, settings):
    with StubServer() as stub:
        keys.configure(settings, stub.url)
        settings.PAYMENTS_INSURANCE_PROVIDER = "wechat_med_ins"
        settings.WECHATPAY_MED_INS_CITY_ID = "330800"
        settings.WECHATPAY_MED_INST_NO = "P33080200001"
        settings.WECHATPAY_MED_INST_NAME = "博爱幸福驿站自助售药机"
        settings.WECHATPAY_TIMEOUT_SECONDS = 0.5
        yield MedInsStub(stub, keys)


def mixed(payer, *, amount_fen=3150, insurance_fen=2500) -> PaymentIntent:
    return services.payment_intent_create(
        payer=payer,
        amount_fen=amount_fen,
        insurance_fen=insurance_fen,
        method="insurance_account",
        purpose="tests.rx",
        reference="1",
        description="处方取药",
    )


def test_it_creates_one_signed_mixed_order_with_the_cash_prepay(med_ins, keys, payer):
    intent = mixed(payer)
    assert (intent.provider, intent.status) == ("wechat_med_ins", "created")

    params = services.payment_intent_prepare(intent=intent)

    [request] = med_ins.calls("POST", CREATE)
    body = request.json
    assert body["mix_pay_type"] == "CASH_AND_INSURANCE" and body["order_type"] == "PHARMACY_PAY"
    assert (body["total_fee"], body["med_ins_self_fee"], body["wechat_pay_cash_fee"]) == (3150, 2500, 650)
    assert body["out_trade_no"] == intent.out_trade_no and body["prepay_id"] == "wx-cash-1"
    assert body["openid"] == payer.wechat_openid and body["city_id"] == "330800"
    auth = parse_authorization(request.headers["Authorization"])
    assert auth["mchid"] == MCH_ID
    message = f"POST\n{CREATE}\n{auth['timestamp']}\n{auth['nonce_str']}\n".encode() + request.body + b"\n"
    rsa_verify(keys.merchant.public_key(), auth["signature"], message)
    assert med_ins.calls("POST", "/v3/pay/transactions/jsapi")[0].json["amount"]["total"] == 650
    assert params["mixTradeNo"] == "mix-1" and params["package"] == "prepay_id=wx-cash-1"
    intent.refresh_from_db()
    assert intent.prepay_id == "mix-1"


def test_an_insurance_only_order_has_no_cash_prepay(med_ins, payer):
    intent = mixed(payer, amount_fen=2500, insurance_fen=2500)
    assert intent.status == "created"  # the payer confirms the insurance part in WeChat
    services.payment_intent_prepare(intent=intent)
    assert med_ins.calls("POST", CREATE)[0].json["mix_pay_type"] == "INSURANCE_ONLY"
    assert "prepay_id" not in med_ins.calls("POST", CREATE)[0].json
    assert med_ins.calls("POST", "/v3/pay/transactions/jsapi") == []


def test_a_timed_out_creation_is_queried_and_never_sent_twice(med_ins, payer):
    med_ins.delay_first_create = 1.5  # WeChat made the order, its answer misses our 0.5 s timeout
    intent = mixed(payer)

    params = services.payment_intent_prepare(intent=intent)

    assert len(med_ins.calls("POST", CREATE)) == 1
    assert len(med_ins.calls("GET", QUERY.format(intent.out_trade_no))) == 1
    assert len(med_ins.orders) == 1
    assert params["mixTradeNo"] == "mix-1"


def test_a_creation_wechat_never_received_is_sent_again_with_the_same_number(med_ins, payer):
    med_ins.delay_first_create = 1.5
    med_ins.lose_first_create = True
    intent = mixed(payer)

    params = services.payment_intent_prepare(intent=intent)

    creates = med_ins.calls("POST", CREATE)
    assert len(creates) == 2 and {c.json["out_trade_no"] for c in creates} == {intent.out_trade_no}
    assert len(med_ins.orders) == 1
    assert params["mixTradeNo"] == med_ins.orders[intent.out_trade_no]["mix_trade_no"]


def test_a_paid_mixed_order_found_by_query_marks_the_payment_paid(med_ins, payer, heard):
    intent = mixed(payer)
    services.payment_intent_prepare(intent=intent)
    med_ins.orders[intent.out_trade_no]["mix_pay_status"] = "MIX_PAY_SUCCESS"

    state = get_provider("wechat_med_ins").query(intent)

    assert isinstance(state, TransactionState) and state.trade_state == "SUCCESS" and state.amount_fen == 650
    services.payment_notification_handle(provider="wechat_med_ins", event_type="QUERY", state=state)
    intent.refresh_from_db()
    assert intent.status == "succeeded"
    assert heard == [("payment_succeeded", intent.pk, None)]
