"""One benchmark scenario under locust (headless), chosen by bench/run.py through the environment.

BENCH_SCENARIO   the Scenario as JSON (bench/scenarios.py)
BENCH_FIXTURES   tokens and ids written by bench/data.py
BENCH_STATS_OUT  where to write the measured figures as JSON when the run ends
"""

import collections
import itertools
import json
import os
import random

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

SCENARIO = json.loads(os.environ["BENCH_SCENARIO"])
with open(os.environ["BENCH_FIXTURES"]) as f:
    FIXTURES = json.load(f)

TOKENS = FIXTURES["tokens"].get(SCENARIO["persona"], [])
# A fixture that is a list (the burst's events) gives one of its values to each request, in turn.
_ids = {name: itertools.cycle(value) for name, value in FIXTURES["ids"].items() if isinstance(value, list)}
_fixed_ids = {name: value for name, value in FIXTURES["ids"].items() if not isinstance(value, list)}
EXPECTED = {int(status): set(codes) for status, codes in SCENARIO.get("expected", {}).items()}
# Each request comes from the next person (and, behind the one trusted proxy the server is told
# about, from its own address), as real traffic does; with one_request_per_token each person acts once.
_tokens = iter(TOKENS) if SCENARIO["one_request_per_token"] else itertools.cycle(TOKENS)
_queries = {"requests": 0, "queries": 0, "missing_header": 0}
_outcomes: collections.Counter = collections.Counter()


def path() -> str:
    return SCENARIO["path"].format(**_fixed_ids, **{name: next(values) for name, values in _ids.items()})


def outcome(response) -> tuple[str, bool]:
    """("201 confirmed" / "409 event_full" / "200", expected?). Bodies are read only for writes and errors."""
    status = response.status_code
    if 200 <= status < 300 and SCENARIO["method"] == "GET":
        return str(status), True
    try:
        body = response.json()
    except Exception:  # not JSON: a proxy page, a connection error
        body = None
    detail = ""
    if isinstance(body, dict):
        detail = str(body.get("status" if status < 300 else "code", ""))
    ok = 200 <= status < 300 or detail in EXPECTED.get(status, ())
    return f"{status} {detail}".strip(), ok


class BenchUser(FastHttpUser):
    wait_time = constant(0)  # closed loop: each simulated user sends its next request as soon as it has an answer

    @task
    def hit(self):
        headers = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"}
        if TOKENS:
            token = next(_tokens, None)
            if token is None:
                raise StopUser()  # everybody has had their turn
            headers["Authorization"] = f"Bearer {token}"
        kwargs = {"headers": headers, "name": SCENARIO["name"]}
        if SCENARIO["query"]:
            kwargs["params"] = SCENARIO["query"]
        if SCENARIO["body"] is not None:
            kwargs["json"] = SCENARIO["body"]
        with self.client.request(SCENARIO["method"], path(), catch_response=True, **kwargs) as response:
            label, ok = outcome(response)
            _outcomes[label] += 1
            if ok:
                response.success()
            else:
                response.failure(label)


@events.request.add_listener
def count_queries(response=None, exception=None, **kwargs):
    if response is None:
        return
    value = response.headers.get("X-Query-Count") if response.headers else None
    _queries["requests"] += 1
    if value is None:
        _queries["missing_header"] += 1
    else:
        _queries["queries"] += int(value)


@events.quitting.add_listener
def write_stats(environment, **kwargs):
    total = environment.stats.total
    errors = {f"{e.method} {e.name}: {e.error}": e.occurrences for e in environment.stats.errors.values()}
    figures = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.total_rps,
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "max_ms": total.max_response_time,
        "queries_per_request": _queries["queries"] / _queries["requests"] if _queries["requests"] else None,
        "responses_without_query_header": _queries["missing_header"],
        "errors": errors,
        # Every answer by status (and registration status or error code): expected and not.
        "outcomes": dict(_outcomes.most_common()),
    }
    with open(os.environ["BENCH_STATS_OUT"], "w") as f:
        json.dump(figures, f)
