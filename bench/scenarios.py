"""What `make bench` measures. One entry per scenario; apps add theirs when their endpoint lands.

* `path` is the request path; `{name}` parts are filled from the fixtures' ids (bench/datasets).
* `schema_path` is the operation in /api/v1/schema/; when it is missing the scenario is shown as
  "not yet available" instead of being measured against something else.
* `persona` picks the access tokens ("anonymous": none). With `one_request_per_token` each
  request uses the next resident's token (a crowd doing something once, like a registration
  burst) instead of each simulated user keeping its own.
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

    def as_dict(self) -> dict:
        return asdict(self)


BARE = "bare Django view"

SCENARIOS = [
    # The ceiling: a plain Django JSON view, no database, no DRF (bench/urls.py).
    Scenario(BARE, "GET", "/bench/bare/"),
    Scenario("GET /api/v1/me/", "GET", "/api/v1/me/", "resident", "/api/v1/me/"),
    Scenario("communities list", "GET", "/api/v1/communities/", "anonymous", "/api/v1/communities/"),
    # The scenario apps' endpoints: measured once their app lands (adjust the path to the real one then).
    Scenario("events list", "GET", "/api/v1/events/", "resident", "/api/v1/events/"),
    Scenario(
        "market product search",
        "GET",
        "/api/v1/market/products/",
        "resident",
        "/api/v1/market/products/",
        query={"search": "米"},
    ),
    Scenario("staff work-order list", "GET", "/api/v1/staff/work-orders/", "staff", "/api/v1/staff/work-orders/"),
    Scenario(
        "event registration burst",
        "POST",
        "/api/v1/events/{event_id}/registrations/",
        "resident",
        "/api/v1/events/{id}/registrations/",
        body={},
        one_request_per_token=True,
    ),
]
