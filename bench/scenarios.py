"""What `make bench` measures. One entry per scenario; apps add theirs when their endpoint lands.

* `path` is the request path; `{name}` parts are filled from the fixtures' ids (bench/datasets).
* `schema_path` is the operation in /api/v1/schema/; when it is missing the scenario is shown as
  "not yet available" instead of being measured against something else.
* `persona` picks the access tokens ("anonymous": none); the requests rotate over them, each the
  next person of the persona.
* `burst`: a crowd doing something once (the registration burst): each request is a different
  resident, one load-generator thread per `{name}` value of a list fixture (the burst events), no
  warm-up (it would spend the crowd and the seats before the measurement), answers counted by
  outcome (status, and the error code); `expected` lists the non-2xx outcomes that are not errors.
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    persona: str = "anonymous"
    schema_path: str | None = None  # None: not an API operation (the bare view)
    body: dict | None = None
    burst: bool = False
    query: dict = field(default_factory=dict)
    # Non-2xx answers that are a correct outcome, not an error: {status: (error codes,)}.
    expected: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


BARE = "bare Django view"


def read(name: str, path: str, persona: str = "resident", **kwargs) -> Scenario:
    return Scenario(name, "GET", path, persona, path, **kwargs)


SCENARIOS = [
    # The ceiling: a plain Django JSON view, no database, no DRF (bench/urls.py).
    Scenario(BARE, "GET", "/bench/bare/"),
    read("GET /api/v1/me/", "/api/v1/me/"),
    read("communities list", "/api/v1/communities/", "anonymous"),
    # The scenario apps' endpoints, as the people who use them (bench/datasets/*.py make both).
    read("events list", "/api/v1/events/"),
    read(
        "market product search",
        "/api/v1/market/products/",
        query={"search": "米", "min_price_fen": "500", "max_price_fen": "5000"},
    ),
    # A property manager working the queue of their community (6,700 of the 20,000 orders).
    read("staff work-order list", "/api/v1/staff/work-orders/", "property_manager"),
    read("announcements", "/api/v1/residents/announcements/"),
    read("notifications inbox", "/api/v1/notifications/"),
    read("points ledger", "/api/v1/points/"),
    # Residents aged 60+, who measure at the community's kiosk.
    read("vitals list", "/api/v1/health/vitals/", "vitals_resident"),
    # Residents who shop at the market: 24 orders each.
    read("market order list", "/api/v1/market/orders/", "market_buyer"),
    # Officers of one township team: their team's third of the reports.
    read("staff enforcement reports", "/api/v1/staff/enforcement/reports/", "officer"),
    # Community staff opening the mini-program's workbench (30 days of every app's numbers).
    read("console dashboard", "/api/v1/staff/dashboard/", "staff"),
    # Distinct residents each registering once for one of a few events (30 seats each) at the
    # same time: 201 confirmed / waitlisted, and 409 event_full once an event without a waitlist
    # is full, are the expected answers (counted under "outcomes"); anything else is an error, and
    # each event must have sold exactly its seats. Last: it writes.
    Scenario(
        "event registration burst",
        "POST",
        "/api/v1/events/{burst_event_id}/register/",
        "resident",
        "/api/v1/events/{id}/register/",
        body={"attendees": 1},
        burst=True,
        expected={409: ("event_full",)},
    ),
]
