"""What `make bench` measures. One entry per scenario; apps add theirs when their endpoint lands.

* `path` is the request path; `{name}` parts are filled from the fixtures' ids (bench/datasets).
* `schema_path` is the operation in /api/v1/schema/; when it is missing the scenario is shown as
  "not yet available" instead of being measured against something else.
* `persona` picks the access tokens ("anonymous": none). With `one_request_per_token` each
  request uses the next resident's token (a crowd doing something once, like a registration
  burst) instead of each simulated user keeping its own. Such a scenario has no warm-up (it
  would spend the crowd and the seats before the measurement).
* A `{name}` whose fixture is a list (several burst events) takes one of them per request.
* Answers are counted per outcome (status, and the registration's status or the error code);
  `expected` lists the non-2xx outcomes that are not errors.
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
    one_request_per_token: bool = False
    query: dict = field(default_factory=dict)
    # Non-2xx answers that are a correct outcome, not an error: {status: (error codes,)}.
    expected: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


BARE = "bare Django view"

SCENARIOS = [
    # The ceiling: a plain Django JSON view, no database, no DRF (bench/urls.py).
    Scenario(BARE, "GET", "/bench/bare/"),
    Scenario("GET /api/v1/me/", "GET", "/api/v1/me/", "resident", "/api/v1/me/"),
    Scenario("communities list", "GET", "/api/v1/communities/", "anonymous", "/api/v1/communities/"),
    # The scenario apps' endpoints, as the people who use them (bench/datasets/*.py make both).
    Scenario("events list", "GET", "/api/v1/events/", "resident", "/api/v1/events/"),
    Scenario(
        "market product search",
        "GET",
        "/api/v1/market/products/",
        "resident",
        "/api/v1/market/products/",
        query={"search": "米", "min_price_fen": "500", "max_price_fen": "5000"},
    ),
    # A property manager working the queue of their community (6,700 of the 20,000 orders).
    Scenario(
        "staff work-order list",
        "GET",
        "/api/v1/staff/work-orders/",
        "property_manager",
        "/api/v1/staff/work-orders/",
    ),
    # Distinct residents each registering once for one of a few events (30 seats each) at the
    # same time: 201 confirmed / waitlisted, and 409 event_full once an event without a waitlist
    # is full, are the expected answers (counted under "outcomes"); anything else is an error.
    Scenario(
        "event registration burst",
        "POST",
        "/api/v1/events/{burst_event_id}/register/",
        "resident",
        "/api/v1/events/{id}/register/",
        body={"attendees": 1},
        one_request_per_token=True,
        expected={409: ("event_full",)},
    ),
]
