"""The bench's reading of wrk's output (bench/wrk/common.lua prints one BENCH_JSON line) and its
refusal to report ratios when the load generator costs more than the server. No wrk, no server."""

import json

import pytest

from bench.load import parse_wrk_output
from bench.report import ratio_verdict
from bench.run import scenario_paths

SUMMARY = {
    "requests": 3000,
    "duration_us": 15_000_000,
    "bytes": 123456,
    "errors": {"connect": 0, "read": 2, "write": 0, "status": 40, "timeout": 1},
    "latency_us": {"p50": 8000, "p90": 15000, "p99": 24500, "max": 90000, "mean": 9000.5},
    "threads": [
        {
            "id": 0,
            "path": "/api/v1/events/7/register/",
            "outcomes": {"201": 30, "409 event_full": 25},
            "queries": 800,
            "counted": 55,
            "exhausted": 0,
        },
        {
            "id": 1,
            "path": "/api/v1/events/8/register/",
            "outcomes": {"201": 45},
            "queries": 700,
            "counted": 45,
            "exhausted": 3,
        },
    ],
}


def wrk_stdout(summary: dict) -> str:
    return "Running 15s test @ http://127.0.0.1:8000\n  2 threads and 16 connections\nBENCH_JSON " + json.dumps(summary)


def test_it_reads_rates_and_latencies_in_milliseconds():
    figures = parse_wrk_output(wrk_stdout(SUMMARY))
    assert figures["requests"] == 3000
    assert figures["rps"] == 200
    assert (figures["p50_ms"], figures["p99_ms"], figures["max_ms"]) == (8, 24.5, 90)


def test_it_counts_non_2xx_apart_from_socket_errors():
    figures = parse_wrk_output(wrk_stdout(SUMMARY))
    assert figures["non_2xx"] == 40
    assert figures["socket_errors"] == {"read": 2, "timeout": 1}


def test_it_sums_the_burst_outcomes_and_queries_over_threads():
    figures = parse_wrk_output(wrk_stdout(SUMMARY))
    assert figures["outcomes"] == {"201": 75, "409 event_full": 25}
    assert figures["queries_per_request"] == 15
    assert figures["tokens_reused"] == 3
    assert [t["path"] for t in figures["threads"]] == ["/api/v1/events/7/register/", "/api/v1/events/8/register/"]


def test_a_read_scenario_has_no_outcomes_and_no_query_count():
    summary = {**SUMMARY, "threads": [{"id": 0, "path": "/api/v1/me/"}, {"id": 1, "path": "/api/v1/me/"}]}
    figures = parse_wrk_output(wrk_stdout(summary))
    assert figures["outcomes"] == {}
    assert figures["queries_per_request"] is None


def test_it_refuses_output_without_the_summary_line():
    with pytest.raises(ValueError, match="BENCH_JSON"):
        parse_wrk_output("unable to connect to 127.0.0.1:8000 Connection refused\n")


def measured(name: str, generator_ms: float | None, python_ms: float) -> dict:
    return {
        "name": name,
        "status": "measured",
        "generator_cpu_ms": generator_ms,
        "cpu_ms_python": python_ms,
        "cpu_ms_pg": 0.0,
    }


def test_it_reports_ratios_when_the_generator_is_cheaper_than_the_bare_view():
    reported, why = ratio_verdict([measured("bare", 0.05, 0.4)], "bare", smoke=False)
    assert reported, why


def test_it_refuses_ratios_when_the_generator_costs_more_than_the_bare_view():
    reported, why = ratio_verdict([measured("bare", 0.5, 0.4)], "bare", smoke=False)
    assert not reported
    assert "0.500 ms" in why and "0.400 ms" in why


def test_it_refuses_ratios_without_a_measured_generator_or_in_a_smoke_run():
    assert not ratio_verdict([measured("bare", None, 0.4)], "bare", smoke=False)[0]
    assert not ratio_verdict([measured("bare", 0.05, 0.4)], "bare", smoke=True)[0]


def test_a_list_fixture_gives_one_path_per_thread():
    fixtures = {"ids": {"burst_event_id": [7, 8], "event_id": 9}}
    scenario = {"path": "/api/v1/events/{burst_event_id}/register/", "query": {}}
    assert scenario_paths(scenario, fixtures) == ["/api/v1/events/7/register/", "/api/v1/events/8/register/"]
    search = {"path": "/api/v1/market/products/", "query": {"search": "米", "max_price_fen": "5000"}}
    assert scenario_paths(search, fixtures) == ["/api/v1/market/products/?search=%E7%B1%B3&max_price_fen=5000"]
